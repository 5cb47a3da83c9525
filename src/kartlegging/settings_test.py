"""Settings for the test suite: the ordinary settings in KARTLEGGING_MODE=test."""

import os

os.environ.setdefault("KARTLEGGING_MODE", "test")

from kartlegging.settings import *  # noqa: E402,F403
