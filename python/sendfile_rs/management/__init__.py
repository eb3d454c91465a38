"""Django management commands of sendfile_rs (with ``"sendfile_rs"`` in INSTALLED_APPS)."""
