"""Settings for the test suite: the ordinary settings in KARTLEGGING_MODE=test."""

import os

os.environ.setdefault("KARTLEGGING_MODE", "test")

from kartlegging.settings import *  # noqa: E402,F403

# Personas are created in most tests; Argon2 would cost a second per test. Production (and
# the system tests, which run production settings) keep Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
