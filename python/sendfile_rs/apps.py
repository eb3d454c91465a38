"""Add ``"sendfile_rs"`` to ``INSTALLED_APPS`` to have ``manage.py check`` verify the
SENDFILE_* settings."""

from django.apps import AppConfig


class SendfileConfig(AppConfig):
    name = "sendfile_rs"
    verbose_name = "sendfile_rs"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
