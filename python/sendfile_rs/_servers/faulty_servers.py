"""Servers whose own way of sending a file is known to lose bytes. The ASGI body chooser
offers them neither ``zerocopysend`` nor ``pathsend`` and sends the body in blocks
instead, so that a download arrives whole under every server.

anycorn (0.20.1, its newest release, and its development branch as read in December 2026)
offers both extensions and sends their files with ``os.sendfile``. When the socket's
buffer is full it waits with ``anyio.wait_writable``, which on asyncio asks the loop to
watch a descriptor that asyncio's own transport already watches: asyncio refuses
(``RuntimeError: File descriptor N is used by transport``) and the answer ends there, cut.
Any body longer than the socket's buffer (a few MiB on 127.0.0.1) is lost that way.
``tests/python/test_asgi_zerocopy_servers.py`` asserts the fault with a bare application,
so that a release that mends it fails there: then this check names the versions before it.
"""

from __future__ import annotations

import sys


def server_cuts_the_files_it_sends() -> bool:
    """Whether this process runs a server known to cut the files it sends itself (the
    server's modules are loaded in the process that runs the application)."""
    return "anycorn" in sys.modules
