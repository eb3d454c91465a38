"""django-wiki at the root, as its documentation mounts it."""

from django.urls import include, path

urlpatterns = [path("", include("wiki.urls"))]
