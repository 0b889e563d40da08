"""Login throttling for the admin: repeated failures from one client or for one username
get HTTP 429 before the password is even checked.

Failures are counted through Django's ``user_login_failed`` signal in the default cache, which
is file-based (see settings.CACHES) so every gunicorn worker sees the same counters. Two
buckets, each a sliding window of failure times:

- per client: each entry names the username tried, so a success can drop that username's
  entries from its own client without forgiving the failures for other usernames. A client is
  an IPv4 address or an IPv6 /64 (one subscriber's network: its addresses are free to rotate);
- per username, keyed as authentication sees it (the user model's NFKC ``normalize_username``,
  then casefold), so ``ｅｄｉｔｏｒ`` and ``EDITOR`` share ``editor``'s bucket; a success for
  that user clears it.

Settings (all optional): LOGIN_THROTTLE_LIMIT (5 failures), LOGIN_THROTTLE_WINDOW (900
seconds), LOGIN_THROTTLE_IP_HEADER (a request.META key such as "HTTP_X_REAL_IP" to trust for
the client address; only behind a proxy that sets it, otherwise clients could forge it; a value
that is not an IP address counts as REMOTE_ADDR).

django-axes was evaluated as a replacement and not taken; docs/production.md says why.

Known limit: the read-modify-write on the cache is not atomic across workers, so a burst of
simultaneous guesses may slip a few extra attempts through before the block starts.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
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


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client whose failures count together: the trusted proxy header when one is configured
    and holds an address, else REMOTE_ADDR. IPv6 counts per /64: "2001:db8::1" and
    "2001:db8::ffff:1" are both "2001:db8::/64"; "::ffff:192.0.2.7" is "192.0.2.7"."""
    header = getattr(settings, "LOGIN_THROTTLE_IP_HEADER", None)
    forwarded = str(request.META.get(header, "")) if header else ""
    address = _address(forwarded.split(",")[-1]) if forwarded else None
    if address is None:
        remote = str(request.META.get("REMOTE_ADDR", ""))
        address = _address(remote)
        if address is None:
            return remote
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address), 64), strict=False))
    return str(address)


def username_key(username: str) -> str:
    """The username as authentication looks it up, casefolded: "ＥＤＩＴＯＲ " → "editor".

    The login form strips and NFKC-normalises before authenticating; the middleware sees the
    raw POST, so both must reduce to the same key or a variant escapes the lock."""
    return get_user_model().normalize_username(username).strip().casefold()


def _user_key(username: str) -> str:
    return f"{KEY_PREFIX}:user:{_digest(username_key(username))}"


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
