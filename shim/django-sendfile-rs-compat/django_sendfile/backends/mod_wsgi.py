"""``django_sendfile.backends.mod_wsgi``: sendfile_rs's mod_wsgi backend."""

from sendfile_rs.backends.mod_wsgi import sendfile

__all__ = ["sendfile"]
