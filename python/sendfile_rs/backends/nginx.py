"""The nginx backend: nginx sends the file at the internal URL named by X-Accel-Redirect.

Name it in settings as ``SENDFILE_BACKEND = "sendfile_rs.backends.nginx"``.
"""

from .._django.backend_modules import make_backend

sendfile = make_backend("nginx")
