"""django-sendfile2's ``django_sendfile`` package, served by sendfile_rs.

For libraries hard-wired to ``from django_sendfile import sendfile``. It replaces
django-sendfile2 (the same import package), and refuses to load beside it.
"""

from importlib import metadata

try:
    metadata.distribution("django-sendfile2")
except metadata.PackageNotFoundError:
    pass
else:
    # Both install django_sendfile/: whichever came last wrote these files, and
    # uninstalling django-sendfile2 would delete them.
    raise ImportError(
        "django-sendfile2 is installed beside django-sendfile-rs-compat, and both provide "
        "the django_sendfile package: run pip uninstall -y django-sendfile2, then "
        "pip install --force-reinstall --no-deps django-sendfile-rs-compat"
    )

from .utils import sendfile

#: The django-sendfile2 release whose API this package provides.
__version__ = "0.7.2"
# As django-sendfile2 has it: old versions of django-sendfile had this.
VERSION = tuple(__version__.split("."))

__all__ = ["VERSION", "__version__", "sendfile"]
