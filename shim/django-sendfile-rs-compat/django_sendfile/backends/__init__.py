"""django-sendfile2's backend modules, each sendfile_rs's backend of the same name."""
