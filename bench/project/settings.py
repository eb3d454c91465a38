"""Settings of the benchmark project; BENCH_ROOT is the folder of files."""

import os

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "project.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
# django-sendfile2 reads SENDFILE_BACKEND; sendfile_rs is given its backend per call.
SENDFILE_BACKEND = "django_sendfile.backends.simple"
SENDFILE_ROOT = os.environ["BENCH_ROOT"]
