"""The Django project the served benchmarks run, under gunicorn (WSGI) and under uvicorn
and granian (ASGI): the same file through sendfile_rs, Django's FileResponse and
django-sendfile2."""
