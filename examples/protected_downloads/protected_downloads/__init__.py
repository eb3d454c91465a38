"""An example Django project: protected downloads with sendfile_rs."""
