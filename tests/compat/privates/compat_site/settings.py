"""Settings of the compatibility tests: django-privates' storage and SENDFILE_ROOT are
the folder named by COMPAT_PRIVATE_ROOT."""

import os

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "privates",
    "compat_site",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
PRIVATE_ROOT = os.environ["COMPAT_PRIVATE_ROOT"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "privates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": "/private-media/"},
    },
}
# As django-privates documents its settings, with django-sendfile2's backend spelling.
SENDFILE_BACKEND = "django_sendfile.backends.nginx"
SENDFILE_ROOT = PRIVATE_ROOT
SENDFILE_URL = "/private-media"
