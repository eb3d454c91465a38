"""``django_sendfile.backends.development``: sendfile_rs's development backend."""

from sendfile_rs.backends.development import sendfile

__all__ = ["sendfile"]
