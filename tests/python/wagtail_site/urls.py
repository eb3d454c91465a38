"""Wagtail's own document URLs: /documents/<id>/<filename> is its serve view."""

from django.urls import include, path
from wagtail.documents import urls

urlpatterns = [path("documents/", include(urls))]
