"""A report whose file lives in django-privates' private storage."""

from django.db import models
from privates.fields import PrivateMediaFileField


class Report(models.Model):
    file = PrivateMediaFileField(upload_to="reports")
