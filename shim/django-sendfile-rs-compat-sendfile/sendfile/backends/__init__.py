"""django-sendfile's backend modules: ``sendfile.backends.<name>`` is sendfile_rs's
``sendfile_rs.backends.<name>``, the same module, for each backend sendfile_rs has (the
five of django-sendfile 0.3.11, and lighttpd).

The names are read from sendfile_rs's package, not repeated here, so a backend it adds is
found under this name too.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pkgutil import iter_modules

import sendfile_rs.backends

__all__: list[str] = []

for _backend in iter_modules(sendfile_rs.backends.__path__):
    if not _backend.name.startswith("_"):
        # In sys.modules, `import sendfile.backends.nginx` finds it (the import system
        # looks there again once it has imported the parent package).
        _module = import_module(f"{sendfile_rs.backends.__name__}.{_backend.name}")
        sys.modules[f"{__name__}.{_backend.name}"] = _module
        globals()[_backend.name] = _module
        __all__.append(_backend.name)
