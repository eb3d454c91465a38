"""The lighttpd backend: lighttpd sends the file named by X-Sendfile.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.lighttpd"``.
"""

from .._django.backend_modules import make_backend

sendfile = make_backend("lighttpd")
