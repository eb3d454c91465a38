"""The development backend: as simple, meant for runserver.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.development"``.
"""

from .._django.backend_modules import make_backend

sendfile = make_backend("development")
