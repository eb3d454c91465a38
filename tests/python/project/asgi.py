"""The ASGI applications of the test project: ``application`` wrapped by
``sendfile_rs.asgi.wrap``, as the README says to deploy it, and ``unwrapped``, Django's
own, whose answers must be just as right (streamed through Django)."""

import os

from django.core.asgi import get_asgi_application

import sendfile_rs.asgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
unwrapped = get_asgi_application()
application = sendfile_rs.asgi.wrap(unwrapped)
