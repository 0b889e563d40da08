"""Settings for pytest: a throw-away data dir per run, fast password hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-test-"))

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pytest-django creates test_<name>: UTF-8 from template0, whatever the cluster's default.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHOOSH_PATH = Path(DATA_DIR) / "whoosh"
if "SEARCH_URL" not in os.environ:
    HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "search.backends.ChineseWhooshEngine", "PATH": str(WHOOSH_PATH)}
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise warns on every request when STATIC_ROOT does not exist.
STATIC_ROOT = Path(DATA_DIR) / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
