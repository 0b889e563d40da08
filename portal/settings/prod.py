"""Production settings: base.py hardened. Refuses to start without its secrets.

Required environment:
  DJANGO_SECRET_KEY      at least 50 random characters (not the development default, not a
                         repeated word or pattern)
  DJANGO_ALLOWED_HOSTS   comma-separated host names, e.g. news.example.com (no wildcards)
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
# A random key of 50+ characters has far more distinct characters than this (a hex key ~16,
# a token_urlsafe key ~40) and no repeated run of this length; a word or phrase repeated fails.
_MIN_SECRET_KEY_DISTINCT = 10
_SECRET_KEY_RUN = 8
_MAKE_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _secret_key_weakness(key: str) -> str | None:
    """Why key is guessable, or None: "only 7 different characters" for "correcthorse" * 5."""
    if len(key) < _MIN_SECRET_KEY_LENGTH:
        return f"it needs at least {_MIN_SECRET_KEY_LENGTH} characters"
    distinct = len(set(key))
    if distinct < _MIN_SECRET_KEY_DISTINCT:
        return f"only {distinct} different characters (a random key has many more)"
    runs = [key[i : i + _SECRET_KEY_RUN] for i in range(len(key) - _SECRET_KEY_RUN + 1)]
    if len(set(runs)) < len(runs):
        return f"it repeats itself (a run of {_SECRET_KEY_RUN} characters occurs twice)"
    return None


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a secret key of at least "
            f"{_MIN_SECRET_KEY_LENGTH} random characters, e.g. from: {_MAKE_KEY}"
        )
    if key == _DEV_SECRET_KEY or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the development default; set a random production key."
        )
    weakness = _secret_key_weakness(key)
    if weakness:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak ({len(key)} characters): {weakness}. "
            f"Use {_MIN_SECRET_KEY_LENGTH} or more random characters, e.g. from: {_MAKE_KEY}"
        )
    return key


def _host_too_broad(host: str) -> str | None:
    """Why an ALLOWED_HOSTS entry accepts hosts the site does not own, or None."""
    if host == "*":
        return "it would accept any Host header"
    if "*" in host:
        return "Django has no partial wildcards; use .example.com for a domain and its subdomains"
    if not host.strip("."):
        return "it is not a host name"
    if host.startswith(".") and "." not in host[1:]:
        return "it would accept every host under a top-level domain"
    return None


def _allowed_hosts() -> list[str]:
    hosts = _env_list("DJANGO_ALLOWED_HOSTS")
    if not hosts:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, comma-separated, "
            "e.g. DJANGO_ALLOWED_HOSTS=news.example.com"
        )
    for host in hosts:
        reason = _host_too_broad(host)
        if reason:
            raise ImproperlyConfigured(
                f"DJANGO_ALLOWED_HOSTS may not contain '{host}': {reason}. Name the site's "
                "hosts, e.g. DJANGO_ALLOWED_HOSTS=news.example.com"
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
