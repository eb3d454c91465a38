"""The simple backend: Django sends the file itself, with ranges and conditional requests,
through wsgi.file_wrapper (sendfile(2)) where the server has it.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.simple"``.
"""

from .._django.backend_modules import make_backend

sendfile = make_backend("simple")
