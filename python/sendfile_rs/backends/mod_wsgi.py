"""The mod_wsgi backend: daemon mode redirects internally to the URL in Location.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.mod_wsgi"``.
"""

from .._django.backend_modules import make_backend

sendfile = make_backend("mod_wsgi")
