"""``manage.py sendfile_config``."""
