"""``django_sendfile.utils``: ``sendfile`` is sendfile_rs's, and ``_get_sendfile`` the
backend look-up that test helpers clear with ``_get_sendfile.cache_clear()``."""

from functools import cache
from importlib import import_module
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sendfile_rs import sendfile

__all__ = ["_get_sendfile", "sendfile"]


@cache
def _get_sendfile() -> Callable[..., Any]:
    """The configured backend module's ``sendfile``, as django-sendfile2 looks it up.

    ``sendfile`` reads ``SENDFILE_BACKEND`` at every call and does not use this; it stays,
    cached, for code that calls it or clears its cache.
    """
    backend = getattr(settings, "SENDFILE_BACKEND", None)
    if not backend:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
    function: Callable[..., Any] = import_module(backend).sendfile
    return function
