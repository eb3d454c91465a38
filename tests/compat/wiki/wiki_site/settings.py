"""Settings of the django-wiki tests: the media folder (wiki's attachments) is the one
named by WIKI_MEDIA_ROOT, and SENDFILE_ROOT; downloads go through sendfile."""

import os

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django_nyt",
    "mptt",
    "sekizai",
    "sorl.thumbnail",
    "wiki",
    "wiki.plugins.attachments",
    # As django-wiki's example settings for sendfile have it (testproject/settings/
    # sendfile.py): the package is an application too.
    "sendfile",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "sekizai.context_processors.sekizai",
            ]
        },
    }
]
ROOT_URLCONF = "wiki_site.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
SITE_ID = 1
MEDIA_ROOT = os.environ["WIKI_MEDIA_ROOT"]
STATIC_URL = "/static/"

# django-wiki's switch for downloads through django-sendfile, and django-sendfile's
# settings with its backend spelling; the tests name the other backends the same way.
WIKI_ATTACHMENTS_USE_SENDFILE = True
SENDFILE_BACKEND = "sendfile.backends.simple"
SENDFILE_ROOT = MEDIA_ROOT
SENDFILE_URL = "/protected"
