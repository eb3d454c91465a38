"""The deployment tools: ``front_config`` writes each front server's configuration for the
settings (``python -m sendfile_rs config``, ``manage.py sendfile_config``), and ``doctor``
checks a live site (``python -m sendfile_rs check``, ``manage.py sendfile_check``)."""
