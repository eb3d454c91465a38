"""``django_sendfile.backends.lighttpd``: sendfile_rs's lighttpd backend."""

from sendfile_rs.backends.lighttpd import sendfile

__all__ = ["sendfile"]
