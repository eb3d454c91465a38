"""``django_sendfile.backends.nginx``: sendfile_rs's nginx backend."""

from sendfile_rs.backends.nginx import sendfile

__all__ = ["sendfile"]
