"""Login throttling for the admin: repeated failures from one client or for one username
get HTTP 429 before the password is even checked.

Failures are counted through Django's ``user_login_failed`` signal in the default cache, which
is file-based (see settings.CACHES) so every gunicorn worker sees the same counters. Two
buckets, each a sliding window of failure times:

- per client IP: each entry names the username tried, so a success can drop that username's
  entries from its own IP without forgiving the failures for other usernames;
- per username (case-insensitive): a success for that user clears it.

Settings (all optional): LOGIN_THROTTLE_LIMIT (5 failures), LOGIN_THROTTLE_WINDOW (900
seconds), LOGIN_THROTTLE_IP_HEADER (a request.META key such as "HTTP_X_REAL_IP" to trust for
the client address; only behind a proxy that sets it, otherwise clients could forge it).

Known limit: the read-modify-write on the cache is not atomic across workers, so a burst of
simultaneous guesses may slip a few extra attempts through before the block starts.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 15 * 60
KEY_PREFIX = "login-throttle"


def _now() -> float:
    """The clock; tests patch it to jump past the window."""
    return time.time()


def _limit() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_LIMIT", DEFAULT_LIMIT))


def _window() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_WINDOW", DEFAULT_WINDOW))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def client_ip(request: HttpRequest) -> str:
    """The client address: REMOTE_ADDR, or the trusted proxy header when one is configured."""
    header = getattr(settings, "LOGIN_THROTTLE_IP_HEADER", None)
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _user_key(username: str) -> str:
    return f"{KEY_PREFIX}:user:{_digest(username.strip().lower())}"


def _ip_key(ip: str) -> str:
    return f"{KEY_PREFIX}:ip:{_digest(ip)}"


def _recent(key: str, now: float) -> list[tuple[float, str]]:
    """Entries (failure time, username key) of a bucket that are still inside the window."""
    since = now - _window()
    return [entry for entry in cache.get(key) or [] if entry[0] > since]


def record_failure(*, ip: str, username: str) -> None:
    """Count one failed login in both buckets."""
    now = _now()
    user_key = _user_key(username)
    ip_key = _ip_key(ip)
    for key in (user_key, ip_key):
        cache.set(key, [*_recent(key, now), (now, user_key)], timeout=_window())


def record_success(*, ip: str, username: str) -> None:
    """Forget this username's failures, in its own bucket and in this IP's bucket."""
    user_key = _user_key(username)
    cache.delete(user_key)
    ip_key = _ip_key(ip)
    kept = [e for e in _recent(ip_key, _now()) if e[1] != user_key]
    cache.set(ip_key, kept, timeout=_window())


def seconds_blocked(*, ip: str, username: str) -> int:
    """0 when an attempt may go ahead, else seconds until the oldest counted failure expires."""
    now = _now()
    waits = []
    for key in (_ip_key(ip), _user_key(username)):
        entries = _recent(key, now)
        if len(entries) >= _limit():
            oldest = min(entry[0] for entry in entries)
            waits.append(math.ceil(oldest + _window() - now))
    return max(waits, default=0)


def _too_many_response(seconds: int) -> HttpResponse:
    minutes = max(1, round(_window() / 60))
    message = escape(f"登录尝试过多，请 {minutes} 分钟后再试")
    body = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
        f"<title>{message}</title></head><body><h1>{message}</h1></body></html>"
    )
    response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


class LoginThrottleMiddleware:
    """Answers a POST to the admin login with 429 while its IP or username is blocked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == reverse("admin:login"):
            username = request.POST.get("username", "")
            seconds = seconds_blocked(ip=client_ip(request), username=username)
            if seconds:
                return _too_many_response(seconds)
        return self.get_response(request)


@receiver(user_login_failed, dispatch_uid="portal.throttle.failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:  # e.g. a management command authenticating: no client to throttle
        return
    record_failure(ip=client_ip(request), username=str(credentials.get("username", "")))


@receiver(user_logged_in, dispatch_uid="portal.throttle.success")
def _on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    record_success(ip=client_ip(request), username=user.get_username())
