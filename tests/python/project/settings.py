"""Settings of the test project; SENDFILE_* come from the environment of the test."""

import json
import os

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "project.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
USE_TZ = True
SENDFILE_BACKEND = os.environ.get("SENDFILE_BACKEND", "sendfile_rs.backends.simple")
SENDFILE_ROOT = os.environ.get("SENDFILE_ROOT", "/nonexistent")
SENDFILE_URL = os.environ.get("SENDFILE_URL") or None
SENDFILE_OPTIONS = json.loads(os.environ.get("SENDFILE_OPTIONS", "{}"))
# An object store (tests/e2e/test_object_store.py): django-storages' S3Storage on it.
if os.environ.get("STORE_ENDPOINT"):
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "objects": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": os.environ["STORE_ENDPOINT"],
                "bucket_name": os.environ["STORE_BUCKET"],
                "location": os.environ.get("STORE_LOCATION", ""),
                "access_key": os.environ["STORE_ACCESS_KEY"],
                "secret_key": os.environ["STORE_SECRET_KEY"],
                "addressing_style": "path",
            },
        },
    }
# Server errors go to the server's log (Django prints them only with DEBUG on).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
