"""A Django project with django-wiki and its attachments plugin, whose downloads go through
``from sendfile import sendfile``, for the tests of django-sendfile-rs-compat-sendfile."""
