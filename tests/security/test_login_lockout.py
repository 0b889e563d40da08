"""Issue 20, point 1: a locked login cannot be sidestepped by writing the username another way
or by moving to another address of the same IPv6 /64.

Through the real admin login view, with the proxy set-up docs/production.md prescribes
(PORTAL_CLIENT_IP_HEADER=HTTP_X_REAL_IP): in-process with that setting, and once against
gunicorn started with the prod settings.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPResponse

import pytest
from django.test import Client

from tests.integration.test_production import (
    free_port,
    manage,
    prod_env,
)
from tests.servers import running_gunicorn

LOGIN = "/admin/login/"
REFUSED = "登录尝试过多，请 15 分钟后再试"
PASSWORD = "editor-pass-2026"


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.LOGIN_THROTTLE_IP_HEADER = "HTTP_X_REAL_IP"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def attempt(username: str, password: str, *, ip: str):
    """One login POST as it reaches Django from nginx: REMOTE_ADDR is the proxy."""
    data = {"username": username, "password": password, "next": "/admin/"}
    return Client().post(LOGIN, data, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=ip)


def lock(username: str) -> None:
    """Five wrong passwords for username, each from a fresh address."""
    for n in range(5):
        assert attempt(username, "wrong", ip=f"198.51.100.{n}").status_code == 200


# --- the username bucket ----------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["editor", "EDITOR", "Editor", " editor ", "ｅｄｉｔｏｒ", "ＥＤＩＴＯＲ", "ｅdｉtｏr"],
    ids=["same", "upper", "title", "spaces", "full-width", "full-width-upper", "mixed-width"],
)
def test_a_locked_username_stays_locked_however_it_is_written(editor, variant):
    lock("editor")
    response = attempt(variant, PASSWORD, ip="203.0.113.50")
    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    editor.refresh_from_db()
    assert editor.last_login is None


def test_the_full_width_name_gets_no_extra_guesses_from_fresh_addresses(editor):
    lock("editor")
    answers = [
        attempt("ｅｄｉｔｏｒ", f"guess-{n}", ip=f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert answers == [429, 429, 429]


def test_failures_under_different_spellings_add_up(editor):
    for n, variant in enumerate(["ｅｄｉｔｏｒ", "EDITOR", "Editor", "ＥＤＩＴＯＲ", "editor"]):
        assert attempt(variant, "wrong", ip=f"198.51.100.{n}").status_code == 200
    assert attempt("editor", PASSWORD, ip="203.0.113.50").status_code == 429


def test_a_compatibility_ligature_is_the_same_user(django_user_model):
    # ﬁ (U+FB01) is "fi" after NFKC, so "ﬁona" logs in as fiona.
    django_user_model.objects.create_user("fiona", password=PASSWORD, is_staff=True)
    lock("fiona")
    assert attempt("ﬁona", PASSWORD, ip="203.0.113.50").status_code == 429


def test_casefold_joins_sharp_s_and_ss(django_user_model):
    django_user_model.objects.create_user("straße", password=PASSWORD, is_staff=True)
    lock("STRASSE")
    assert attempt("straße", PASSWORD, ip="203.0.113.50").status_code == 429


# --- the address bucket -----------------------------------------------------------------


def fail_from(ips: list[str]) -> None:
    """One wrong password per address, each for a different username."""
    for n, ip in enumerate(ips):
        assert attempt(f"user{n}", "wrong", ip=ip).status_code == 200


def test_ipv6_addresses_in_one_64_are_one_client(editor):
    fail_from(
        ["2001:db8::1", "2001:db8::2", "2001:db8::ffff:1", "2001:db8::abcd:1:2", "2001:db8::9"]
    )
    assert attempt("editor", PASSWORD, ip="2001:db8::ffff:ffff:ffff:ffff").status_code == 429
    assert attempt("editor", PASSWORD, ip="2001:db8:0:1::1").status_code == 302  # another /64


def test_ipv6_zero_compression_and_case_do_not_make_a_new_client(editor):
    fail_from(["2001:db8::1"] * 4)
    assert attempt("nobody", "x", ip="2001:DB8:0:0:0000::1").status_code == 200
    assert attempt("editor", PASSWORD, ip="2001:0db8::1").status_code == 429


def test_an_ipv4_mapped_ipv6_address_is_its_ipv4_address(editor):
    fail_from(["192.0.2.7"] * 4 + ["::ffff:192.0.2.7"])
    assert attempt("editor", PASSWORD, ip="192.0.2.7").status_code == 429


def test_ipv4_is_still_counted_per_address(editor):
    fail_from(["192.0.2.1"] * 5)
    assert attempt("nobody", "x", ip="192.0.2.1").status_code == 429
    assert attempt("editor", PASSWORD, ip="192.0.2.2").status_code == 302


@pytest.mark.parametrize(
    "garbage",
    ["not-an-ip", "1.2.3.4.5", "2001:db8::zz", "999.1.1.1", "\x00", "[2001:db8::1]:443"],
)
def test_malformed_header_values_fall_back_to_the_socket_address(editor, garbage):
    # Never a 500, and no new bucket per garbage value: they all count as the proxy's address.
    fail_from([f"{garbage}{'x' * n}" for n in range(5)])
    assert attempt("nobody", "x", ip="also-garbage").status_code == 429
    assert attempt("editor", PASSWORD, ip="192.0.2.2").status_code == 302


# --- the same attack against gunicorn with the prod settings ---------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(url: str, *, data: bytes | None = None, **headers: str) -> tuple[int, str, str]:
    """(status, Set-Cookie, body); redirects and HTTP errors are answers."""
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        response: HTTPResponse = OPENER.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Set-Cookie", ""), error.read().decode()
    with response:
        return response.status, response.headers.get("Set-Cookie", ""), response.read().decode()


@pytest.fixture(scope="module")
def gunicorn_behind_proxy(tmp_path_factory):
    """gunicorn (prod settings, 2 workers) trusting X-Real-IP, with the user editor."""
    data_dir = tmp_path_factory.mktemp("lockout-data")
    port = free_port()
    env = prod_env(
        data_dir,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        PORTAL_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    make_editor = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('editor', password='{PASSWORD}', is_staff=True)"
    )
    for args in (
        ("migrate", "--noinput"),
        ("collectstatic", "--noinput"),
        ("shell", "--no-imports", "-c", make_editor),
    ):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    base = f"http://127.0.0.1:{port}"
    with running_gunicorn(env, log_path=data_dir / "gunicorn.log", probe=f"{base}{LOGIN}"):
        yield base


@pytest.mark.slow
def test_gunicorn_refuses_the_full_width_name_after_a_lock(gunicorn_behind_proxy):
    base = gunicorn_behind_proxy
    _, set_cookie, page = http(base + LOGIN)
    cookie = set_cookie.split(";")[0]  # csrftoken=…
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    def post(username: str, password: str, ip: str) -> int:
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        status, _, _ = http(
            base + LOGIN,
            data=form.encode(),
            Cookie=cookie,
            **{"Content-Type": "application/x-www-form-urlencoded", "X-Real-IP": ip},
        )
        return status

    assert [post("editor", "wrong", f"198.51.100.{n}") for n in range(5)] == [200] * 5
    assert post("ｅｄｉｔｏｒ", PASSWORD, "203.0.113.1") == 429
    assert post("EDITOR", PASSWORD, "203.0.113.2") == 429

    v6 = [
        "2001:db8:1::1",
        "2001:db8:1::2",
        "2001:db8:1::ffff:1",
        "2001:db8:1::a:b",
        "2001:db8:1::9",
    ]
    assert [post(f"user{n}", "wrong", ip) for n, ip in enumerate(v6)] == [200] * 5
    assert post("nobody", "wrong", "2001:db8:1::ffff:ffff") == 429
    assert post("nobody", "wrong", "2001:db8:2::1") == 200
