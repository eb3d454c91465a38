"""``django_sendfile.backends.simple``: sendfile_rs's simple backend."""

from sendfile_rs.backends.simple import sendfile

__all__ = ["sendfile"]
