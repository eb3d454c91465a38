"""The documents of the object-store tests: a model whose FileField names no storage, so its
files are on the default storage, as a site's models usually are."""

from django.db import models


class Document(models.Model):
    file = models.FileField()
