"""The simple backend: Django sends the file itself, with sendfile(2) through wsgi.file_wrapper where the server has it, with ranges and conditional requests.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.simple"``.
"""

from sendfile_rs._backend_module import make_backend

sendfile = make_backend("simple")
