"""Settings for the worker processes the fault tests start: the real settings (real broker,
real database), with e-mail written to files the test reads (tests/vru/fault_mail.py)."""

from vru.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.vru.fault_mail.FileMailBackend"}}
