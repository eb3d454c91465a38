"""A minimal Wagtail site whose document serve view runs on sendfile_rs's simple backend,
for tests/python/test_callers.py. Paths come from the environment of the test."""
