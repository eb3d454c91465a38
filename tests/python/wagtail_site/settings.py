"""Settings of the Wagtail site: the database, the media folder and SENDFILE_ROOT come
from the environment (an empty WAGTAIL_SENDFILE_ROOT leaves SENDFILE_ROOT unset, as
Wagtail's own tests do)."""

import os

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "wagtail_site.urls"
# wagtail.admin only for its migrations, which the documents' migrations depend on.
INSTALLED_APPS = [
    "wagtail.documents",
    "wagtail.admin",
    "wagtail",
    "taggit",
    "modelcluster",
    "django.contrib.auth",
    "django.contrib.contenttypes",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["WAGTAIL_DATABASE"]}
}
MEDIA_ROOT = os.environ["WAGTAIL_MEDIA_ROOT"]
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
USE_TZ = True
WAGTAIL_SITE_NAME = "tests"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
# The serve view, not a redirect to MEDIA_URL; Wagtail then calls this backend module.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SENDFILE_BACKEND = "sendfile_rs.backends.simple"
if os.environ.get("WAGTAIL_SENDFILE_ROOT"):
    SENDFILE_ROOT = os.environ["WAGTAIL_SENDFILE_ROOT"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
