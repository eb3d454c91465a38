"""Settings of the example: log in, see your files, download them through sendfile_rs.

The backend is the simple one unless SENDFILE_BACKEND says otherwise; the files and the
database live in DEMO_VAR (by default the var/ folder beside manage.py).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DEMO_VAR", BASE_DIR / "var"))

SECRET_KEY = "example-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "sendfile_rs",  # manage.py check verifies the SENDFILE_* settings
    "protected_downloads",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "protected_downloads.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# sendfile_rs: the same settings as django-sendfile2.
SENDFILE_BACKEND = os.environ.get("SENDFILE_BACKEND", "sendfile_rs.backends.simple")
SENDFILE_ROOT = VAR_DIR / "files"
SENDFILE_URL = os.environ.get("SENDFILE_URL", "/protected")
