"""The built-in backends, one module each, named by ``SENDFILE_BACKEND``."""
