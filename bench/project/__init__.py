"""The Django project the served benchmark runs under gunicorn: the same file through
sendfile_rs, Django's FileResponse and django-sendfile2."""
