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
# An object store (tests/e2e/test_object_store.py), set up as the README says: the default
# storage is django-storages' S3Storage, and the documents' model has a plain FileField, so
# its files are on Django's lazy default_storage. SENDFILE_ROOT is set only if the test
# sets it: the README's settings have none.
if os.environ.get("STORE_ENDPOINT"):
    if "SENDFILE_ROOT" not in os.environ:
        del SENDFILE_ROOT
    INSTALLED_APPS = ["project"]
    STORAGES = {
        "default": {
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
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
# Server errors go to the server's log (Django prints them only with DEBUG on).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
