"""Admin login throttling (portal/throttle.py): 5 failures in 15 minutes per IP or username,
then 429 without the password being checked."""

from __future__ import annotations

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.test import Client

from portal import throttle

LOGIN = "/admin/login/"
REFUSED = "登录尝试过多，请 15 分钟后再试"
PASSWORD = "lin-pass-2021"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lin(django_user_model):
    return django_user_model.objects.create_user("lin", password=PASSWORD, is_staff=True)


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the throttle, starting at a fixed instant."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(throttle, "_now", lambda: now["t"])
    return now


def attempt(username: str, password: str, *, ip: str = "10.0.0.1", **extra: str):
    data = {"username": username, "password": password, "next": "/admin/"}
    return Client().post(LOGIN, data, REMOTE_ADDR=ip, **extra)


def fail(times: int, username: str = "lin", *, ip: str = "10.0.0.1", **extra: str) -> None:
    for _ in range(times):
        response = attempt(username, "wrong-password", ip=ip, **extra)
        assert response.status_code == 200  # the admin form again, with its error
        assert "id_password" in response.content.decode()


def test_sixth_attempt_is_refused_even_with_the_right_password(lin, clock):
    fail(5)
    checked = []
    user_login_failed.connect(checked.append, dispatch_uid="test-throttle")
    try:
        response = attempt("lin", PASSWORD)
        wrong = attempt("lin", "still-wrong")
    finally:
        user_login_failed.disconnect(dispatch_uid="test-throttle")

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Retry-After"] == "900"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "_auth_user_id" not in response.client.session
    lin.refresh_from_db()
    assert lin.last_login is None
    assert wrong.status_code == 429
    assert checked == []  # the password was never checked while blocked


def test_another_username_from_another_ip_is_not_blocked(lin, django_user_model):
    django_user_model.objects.create_user("chen", password="chen-pass-2022", is_staff=True)
    fail(5, "lin", ip="10.0.0.1")

    assert attempt("chen", "chen-pass-2022", ip="10.0.0.2").status_code == 302
    # The blocked IP is refused for any username, the blocked username from any IP.
    assert attempt("chen", "chen-pass-2022", ip="10.0.0.1").status_code == 429
    assert attempt("lin", PASSWORD, ip="10.0.0.3").status_code == 429


def test_four_failures_still_let_the_right_password_in(lin):
    fail(4)
    response = attempt("lin", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_counters_expire_after_the_window(lin, clock):
    fail(5)
    clock["t"] += 899
    blocked = attempt("lin", PASSWORD)
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "1"
    clock["t"] += 1
    assert attempt("lin", PASSWORD).status_code == 302


def test_window_slides_with_each_failure(lin, clock):
    fail(4)
    clock["t"] += 600
    fail(1)  # five in the window now
    blocked = attempt("lin", PASSWORD)
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "300"
    clock["t"] += 300  # the first four have expired, one remains
    assert attempt("lin", PASSWORD).status_code == 302


def test_success_resets_the_username_counter(lin):
    fail(4)
    assert attempt("lin", PASSWORD).status_code == 302
    fail(4)
    assert attempt("lin", PASSWORD).status_code == 302


def test_success_does_not_forgive_other_usernames_failures_from_the_same_ip(lin):
    fail(2, "zhang")
    fail(2, "lin")
    assert attempt("lin", PASSWORD).status_code == 302  # lin's two failures are forgiven
    fail(1, "wang")
    fail(1, "zhao")
    fail(1, "zhou")  # zhang's 2 still count: 5 from this IP
    assert attempt("lin", PASSWORD).status_code == 429


def test_usernames_are_counted_case_insensitively(lin):
    fail(3, "LIN", ip="10.0.0.1")
    fail(2, "Lin", ip="10.0.0.2")
    assert attempt("lin", PASSWORD, ip="10.0.0.3").status_code == 429


def test_a_forged_proxy_header_does_not_change_the_ip_by_default(lin):
    for n in range(5):
        fail(1, f"user{n}", HTTP_X_REAL_IP=f"192.0.2.{n}")
    assert attempt("other", "x", HTTP_X_REAL_IP="192.0.2.99").status_code == 429


def test_a_trusted_proxy_header_gives_the_client_ip(lin, settings):
    settings.LOGIN_THROTTLE_IP_HEADER = "HTTP_X_REAL_IP"
    for n in range(5):
        fail(1, f"user{n}", HTTP_X_REAL_IP="192.0.2.1")
    assert attempt("other", "x", HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    # Same socket address (the proxy), another client: let through.
    assert attempt("lin", PASSWORD, HTTP_X_REAL_IP="192.0.2.2").status_code == 302


@pytest.mark.parametrize(
    "body",
    [
        "username=" + "%E9%95%BF" * 20_000 + "&password=x",
        "username=%FF%FEbad%ED%A0%80&password=x",
        "username=lin&username=chen&password=x",
    ],
    ids=["huge-username", "invalid-utf8", "repeated-field"],
)
def test_bad_login_posts_are_counted_never_a_500(db, body):
    def post():
        return Client().post(
            LOGIN, body, "application/x-www-form-urlencoded", REMOTE_ADDR="10.0.0.9"
        )

    for _ in range(5):
        assert post().status_code == 200
    assert post().status_code == 429


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "lin"},
        {"username": "li\x00n", "password": "x"},
    ],
    ids=["no-fields", "empty", "no-password", "nul-in-username"],
)
def test_posts_the_form_rejects_before_authenticating_are_not_counted(lin, data):
    for _ in range(8):
        assert Client().post(LOGIN, data, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert attempt("lin", PASSWORD).status_code == 302


def test_get_of_the_login_page_and_other_posts_are_never_throttled(lin):
    fail(5)
    assert Client().get(LOGIN, REMOTE_ADDR="10.0.0.1").status_code == 200
    logged_in = Client()
    logged_in.force_login(lin)
    assert logged_in.get("/admin/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_the_limit_and_window_come_from_settings(lin, settings, clock):
    settings.LOGIN_THROTTLE_LIMIT = 2
    settings.LOGIN_THROTTLE_WINDOW = 60
    fail(2)
    blocked = attempt("lin", PASSWORD)
    assert blocked.status_code == 429
    assert "登录尝试过多，请 1 分钟后再试" in blocked.content.decode()
    clock["t"] += 61
    assert attempt("lin", PASSWORD).status_code == 302


def test_an_oversized_login_post_is_a_400_not_a_500(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = "username=lin&password=" + "x" * 2000
    response = Client().post(LOGIN, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
