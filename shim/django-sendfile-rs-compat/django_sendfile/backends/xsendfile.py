"""``django_sendfile.backends.xsendfile``: sendfile_rs's xsendfile backend."""

from sendfile_rs.backends.xsendfile import sendfile

__all__ = ["sendfile"]
