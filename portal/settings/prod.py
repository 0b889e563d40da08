"""Production settings: base.py hardened. Refuses to start without its secrets.

Required environment:
  DJANGO_SECRET_KEY      at least 50 random characters (not the development default)
  DJANGO_ALLOWED_HOSTS   comma-separated host names, e.g. news.example.com
Optional:
  DJANGO_SECURE_SSL_REDIRECT   1 (default): Django redirects http to https; set 0 only when the
                               reverse proxy does that redirect itself
  DJANGO_BEHIND_TLS_PROXY      1 (default): trust X-Forwarded-Proto: https from the proxy, which
                               must set (overwrite) that header; 0 when clients reach gunicorn
  DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://news.example.com
  PORTAL_CLIENT_IP_HEADER      request.META key of the proxy's client address for the login
                               throttle, e.g. HTTP_X_REAL_IP (default: REMOTE_ADDR)
  DJANGO_LOG_LEVEL             INFO (default)
See docs/production.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
_MIN_SECRET_KEY_LENGTH = 50


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a secret key of at least "
            f"{_MIN_SECRET_KEY_LENGTH} random characters, e.g. from: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if key == _DEV_SECRET_KEY or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the development default; set a random production key."
        )
    if len(key) < _MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak ({len(key)} characters); it must have at least "
            f"{_MIN_SECRET_KEY_LENGTH} random characters."
        )
    return key


def _allowed_hosts() -> list[str]:
    hosts = _env_list("DJANGO_ALLOWED_HOSTS")
    if not hosts:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, comma-separated, "
            "e.g. DJANGO_ALLOWED_HOSTS=news.example.com"
        )
    return hosts


DEBUG = False
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _allowed_hosts()
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# TLS: behind nginx, which terminates TLS and says so in X-Forwarded-Proto.
SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
if _env_flag("DJANGO_BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies only over https, never readable from JavaScript (the admin does not need that).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGIN_THROTTLE_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER") or None

# Hashed, compressed static files: WhiteNoise serves them with a far-future Cache-Control.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Every request is already in gunicorn's access log; keep Django's to warnings.
        "django.server": {"level": "WARNING"},
    },
}
