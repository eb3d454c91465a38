"""A minimal Django project that serves protected files through sendfile_rs, for the
tests and the real WSGI servers (gunicorn, uWSGI). Settings come from the environment."""
