"""Settings for the worker processes the fault tests start: the real settings (real broker,
real database), the test-only field keys (so the worker reads what the test wrote), and
e-mail written to files the test reads (tests/vru/fault_mail.py)."""

from vru.settings import *  # noqa: F403
from vru.test_settings import (  # noqa: F401
    VRU_BLIND_INDEX_KEY,
    VRU_FIELD_ENCRYPTION_KEYS,
    VRU_SITE_URL,  # e-mails carry absolute links
)

MAILERS = {"default": {"BACKEND": "tests.vru.fault_mail.FileMailBackend"}}
