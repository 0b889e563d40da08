"""gunicorn settings: gunicorn -c portal/gunicorn.conf.py portal.wsgi

Environment: GUNICORN_BIND (127.0.0.1:8000; keep it on loopback behind nginx),
GUNICORN_WORKERS (2), GUNICORN_TIMEOUT (60 seconds), GUNICORN_MAX_REQUESTS (0 = never
recycle a worker), PORTAL_SEARCH_DRAIN_SECONDS (20; see post_fork).
DJANGO_SETTINGS_MODULE defaults to portal.settings.prod. See docs/production.md.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"

# Load Django (and with it jieba's dictionary and OpenCC, see search.signals) once in the
# master, so workers share those pages copy-on-write and start serving immediately.
preload_app = True

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Worker recycling is off by default: an upload's import runs in a background thread of the
# worker that received it (articles/importing/jobs.py), and recycling that worker would cut it off
# midway (the editor can resume it, but should not have to).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# The request line (method, path, query, version) gunicorn reads at most; longer is refused by
# gunicorn itself. 8190 matches nginx's large_client_header_buffers 4 8k, and stays above
# Django's own REQUEST_LINE_LIMIT (4096 bytes of path + query, answered with a 414 the reader
# can read).
limit_request_line = 8190

accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the local proxy may tell gunicorn the original scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def when_ready(server: object) -> None:
    """Warm the analyzer and the highlighter in the master before the first fork (no-ops
    when already loaded), then move everything loaded so far out of the garbage collector's
    reach: its full collections in the workers no longer walk (and so copy) the preloaded
    objects, which made occasional searches tens of milliseconds slower."""
    import gc

    from search import analysis, highlight

    analysis.warm_up()
    highlight.warm_up()
    gc.collect()
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    """Each worker applies, every SEARCH_DRAIN_SECONDS, the index updates other processes
    left queued (an import killed before its index write): a thread of its own, started
    after the fork, that never holds up a request and skips a turn while another writer
    holds the index (that writer drains the queue itself)."""
    from search import indexing

    indexing.drain_in_background()
