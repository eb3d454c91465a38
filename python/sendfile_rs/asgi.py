"""``sendfile_rs.asgi.wrap``: Django's ASGI application, with the simple backend's bodies
sent by sendfile_rs (by zerocopysend or pathsend where the server offers them, else in
large chunks).

::

    # asgi.py
    from django.core.asgi import get_asgi_application
    import sendfile_rs.asgi

    application = sendfile_rs.asgi.wrap(get_asgi_application())

The wrapper is Django's (``sendfile_rs/_django/asgi.py``); any other ASGI framework uses
``Sender.asgi`` or ``sendfile_rs.starlette``.
"""

from __future__ import annotations

from ._django.asgi import wrap

__all__ = ["wrap"]
