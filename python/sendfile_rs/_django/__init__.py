"""The Django integration, one concern per module: ``settings`` (what the SENDFILE_*
settings name and the configuration they make), ``send`` (``sendfile()``), ``responses``
(the Django responses of a plan), ``custom`` (custom backend modules), ``backend_modules``
(what ``sendfile_rs.backends.<name>`` offers), ``storages`` (files on django-storages'
S3Storage) and ``asgi`` (``sendfile_rs.asgi.wrap``).

Where Django and django-sendfile2 users look stays where it was: ``sendfile_rs.sendfile``,
``sendfile_rs.backends``, ``sendfile_rs.apps``, ``sendfile_rs.checks``,
``sendfile_rs.management`` and ``sendfile_rs.asgi``.
"""
