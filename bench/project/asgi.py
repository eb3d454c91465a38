"""The ASGI application of the benchmark project, wrapped as the README says to deploy it
(the wrapper passes Django's FileResponse through untouched)."""

import os

from django.core.asgi import get_asgi_application

import sendfile_rs.asgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
application = sendfile_rs.asgi.wrap(get_asgi_application())
