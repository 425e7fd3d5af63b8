"""Settings for the test suite: fixed throw-away keys, and a fast password hasher
(the Argon2 setting of production is asserted by a test against xuncha.settings)."""

import os

os.environ["XUNCHA_ENV_FILE"] = os.devnull
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("XUNCHA_MASTER_KEY", "t1:" + "A" * 42 + "Q=")
os.environ.setdefault("XUNCHA_AUDIT_KEY", "test-audit-key")

from .settings import *  # noqa: F403
from .settings import STATIC_ROOT

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing directory otherwise
