"""A Django project with one model whose file django-privates keeps private, for the
compatibility package's tests."""
