"""Settings read from the environment, with safe local defaults.

PORTAL_DATA_DIR  where the SQLite file, the Whoosh index and uploads live (default: var/)
DATABASE_URL     overrides the database (e.g. postgres://user:pw@127.0.0.1/news)
SEARCH_URL       optional Elasticsearch URL; when set, Haystack uses it instead of Whoosh
PORTAL_SEARCH_DRAIN_SECONDS  how often a server applies queued index updates (default 20)
DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS
"""

import os
from pathlib import Path

import dj_database_url

# numpy (the search engine) starts an OpenBLAS thread pool on import, which nothing here
# uses; without it the processes that fork Whoosh's index writers (imports, rebuilds) are
# single-threaded when they fork. Set before any app imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("DJANGO_DEBUG", "1").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "haystack",
    "simple_history",
    "articles",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 414 for a path + query over REQUEST_LINE_LIMIT, before static files and sessions.
    "portal.request_limits.RequestLineLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses admin logins after repeated failures, before the password is checked.
    "portal.throttle.LoginThrottleMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an import writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Only Chinese: the admin would otherwise follow an English browser's Accept-Language.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # admin strings Django 6.1 lacks in zh_Hans
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "media/"

# Uploads: editors import whole zip files; the import form enforces its own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Bytes of path + query string as sent (percent-encoded); longer gets a 414 from
# portal/request_limits.py. Below gunicorn's and nginx's limits (docs/production.md).
REQUEST_LINE_LIMIT = 4096
# Editors' imports run in a background thread; tests set PORTAL_IMPORT_SYNC to run them inline.
PORTAL_IMPORT_SYNC = False
PORTAL_IMPORT_KEEP_DAYS = 7  # unconfirmed previews and their uploads are removed after this
PORTAL_UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))

SEARCH_URL = os.environ.get("SEARCH_URL", "")
WHOOSH_PATH = Path(os.environ.get("PORTAL_WHOOSH_PATH", DATA_DIR / "whoosh"))
if SEARCH_URL:
    HAYSTACK_CONNECTIONS = {
        "default": {
            # Elasticsearch 7 with our analysis done in Python (pip install -r
            # requirements-es.txt); docs/scale-out.md.
            "ENGINE": "search.engine.elasticsearch.backend.ChineseElasticsearchEngine",
            "URL": SEARCH_URL,
            "INDEX_NAME": os.environ.get("SEARCH_INDEX_NAME", "xiamen_news"),
            "SILENTLY_FAIL": False,
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.backends.ChineseWhooshEngine",
            "PATH": str(WHOOSH_PATH),
        }
    }
# Our own signal processor indexes after the transaction commits and never swallows errors.
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.ArticleSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# Each gunicorn worker applies the index updates other processes left queued (an import
# killed before its index write) every this many seconds; 0 turns it off (search.indexing).
SEARCH_DRAIN_SECONDS = float(os.environ.get("PORTAL_SEARCH_DRAIN_SECONDS", "20"))

# A file cache under DATA_DIR so every gunicorn worker sees the same login-throttle counters.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        # Culling deletes random entries once full; room for a many-address attack's counters.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# Content Security Policy (Django's built-in middleware): only our own origin, no inline
# scripts or style attributes (images, fonts and fetch fall back to default-src), no plugins,
# no framing. Django's admin works under it unchanged.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
