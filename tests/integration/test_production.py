"""Production settings, gunicorn + WhiteNoise, and the content security policy.

The settings and server tests run real subprocesses (manage.py, gunicorn) against a throw-away
PORTAL_DATA_DIR with SQLite, whatever DATABASE_URL the test run itself uses.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from tests.servers import GUNICORN, running_gunicorn

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains; preload"
FOREVER = "max-age=315360000, public, immutable"


def prod_env(data_dir: Path, **overrides: str | None) -> dict[str, str]:
    """The environment of a production process: valid secrets, its own SQLite data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    for name in ("DATABASE_URL", "SEARCH_URL", "PORTAL_WHOOSH_PATH"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="news.example.com",
        PORTAL_DATA_DIR=str(data_dir),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- settings -------------------------------------------------------------------------------


@pytest.mark.slow
def test_check_deploy_passes_with_no_warnings(tmp_path):
    result = manage(prod_env(tmp_path), "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set."),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is not set."),
        (
            {"DJANGO_SECRET_KEY": "dev-only-insecure-key-change-me"},
            "DJANGO_SECRET_KEY is the development default",
        ),
        ({"DJANGO_SECRET_KEY": "k" * 49}, "DJANGO_SECRET_KEY is too weak (49 characters)"),
        ({"DJANGO_SECRET_KEY": "abab" * 20}, "DJANGO_SECRET_KEY is too weak (80 characters)"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set."),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS is not set."),
    ],
    ids=[
        "no-key",
        "empty-key",
        "dev-key",
        "short-key",
        "repetitive-key",
        "no-hosts",
        "blank-hosts",
    ],
)
def test_prod_refuses_to_start_without_its_secrets(tmp_path, overrides, message):
    result = manage(prod_env(tmp_path, **overrides), "check")
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'redirect': s.SECURE_SSL_REDIRECT, "
    "'proxy': s.SECURE_PROXY_SSL_HEADER, 'origins': s.CSRF_TRUSTED_ORIGINS, "
    "'hsts': [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD], "
    "'cookies': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY], "
    "'frame': s.X_FRAME_OPTIONS, 'ip_header': s.LOGIN_THROTTLE_IP_HEADER, "
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'cache': s.CACHES['default']['BACKEND']}))"
)


def show_settings(env: dict[str, str]) -> dict:
    result = manage(env, "shell", "--no-imports", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_prod_settings_defaults(tmp_path):
    shown = show_settings(prod_env(tmp_path, DJANGO_DEBUG="1"))
    assert shown == {
        "debug": False,  # DJANGO_DEBUG=1 cannot switch it back on
        "hosts": ["news.example.com"],
        "redirect": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "origins": [],
        "hsts": [31536000, True, True],
        "cookies": [True, True, True],
        "frame": "DENY",
        "ip_header": None,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "cache": "django.core.cache.backends.filebased.FileBasedCache",
    }


@pytest.mark.slow
def test_prod_settings_environment_switches(tmp_path):
    env = prod_env(
        tmp_path,
        DJANGO_ALLOWED_HOSTS="news.example.com, .xmnews.cn",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_TLS_PROXY="off",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://news.example.com,https://*.xmnews.cn",
        PORTAL_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
    )
    shown = show_settings(env)
    assert shown["hosts"] == ["news.example.com", ".xmnews.cn"]
    assert shown["redirect"] is False
    assert shown["proxy"] is None
    assert shown["origins"] == ["https://news.example.com", "https://*.xmnews.cn"]
    assert shown["ip_header"] == "HTTP_X_REAL_IP"


@pytest.mark.django_db
def test_ssl_redirect_trusts_the_proxy_scheme_header(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True

    plain = Client().get("/archive/?x=1")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/archive/?x=1"
    proxied = Client().get("/archive/?x=1", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == HSTS


@pytest.mark.slow
def test_gunicorn_config_checks(tmp_path):
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=prod_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- a real gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn with the prod settings and 2 workers on a free port; always stopped."""
    data_dir = tmp_path_factory.mktemp("prod-data")
    port = free_port()
    env = prod_env(
        data_dir,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    base = f"http://127.0.0.1:{port}"
    with running_gunicorn(env, log_path=data_dir / "gunicorn.log", probe=f"{base}/admin/login/"):
        yield {"url": base, "data_dir": data_dir}


def fetch(url: str, *, data: bytes | None = None, **headers: str):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.slow
def test_gunicorn_serves_pages_with_the_security_headers(gunicorn):
    status, headers, body = fetch(gunicorn["url"] + "/")
    assert status == 200
    assert "厦门" in body.decode()
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"] is None  # only ever sent over https


@pytest.mark.slow
def test_gunicorn_behind_a_tls_proxy_sends_hsts(gunicorn):
    status, headers, _ = fetch(gunicorn["url"] + "/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == HSTS


@pytest.mark.slow
def test_gunicorn_rejects_an_unknown_host(gunicorn):
    status, _, _ = fetch(gunicorn["url"] + "/", Host="evil.example.com")
    assert status == 400


@pytest.mark.slow
def test_whitenoise_serves_hashed_static_files_forever(gunicorn):
    static_root = gunicorn["data_dir"] / "static"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")

    status, headers, body = fetch(f"{gunicorn['url']}/static/{hashed}")
    assert status == 200
    assert headers["Cache-Control"] == FOREVER
    assert headers["Content-Type"].startswith("text/css")
    assert body == (static_root / hashed).read_bytes()

    status, headers, zipped = fetch(
        f"{gunicorn['url']}/static/{hashed}", **{"Accept-Encoding": "gzip"}
    )
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == body

    # The unhashed name still works but may change, so it is not cached forever.
    status, headers, _ = fetch(f"{gunicorn['url']}/static/css/site.css")
    assert status == 200
    assert "immutable" not in headers["Cache-Control"]

    # Pages link the hashed names.
    _, _, login = fetch(gunicorn["url"] + "/admin/login/")
    assert f"/static/{manifest['admin/css/base.css']}" in login.decode()


@pytest.mark.slow
def test_login_throttle_is_shared_by_the_gunicorn_workers(gunicorn):
    status, headers, body = fetch(gunicorn["url"] + "/admin/login/")
    cookie = headers["Set-Cookie"].split(";")[0]  # csrftoken=…
    token = body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = f"csrfmiddlewaretoken={token}&username=intruder&password=guess&next=/admin/"

    def post():
        return fetch(
            gunicorn["url"] + "/admin/login/",
            data=form.encode(),
            Cookie=cookie,
            **{"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"},
        )

    assert [post()[0] for _ in range(5)] == [200] * 5
    status, headers, body = post()
    assert status == 429
    assert "登录尝试过多，请 15 分钟后再试" in body.decode()


# --- the content security policy, in the test settings too -----------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, style attributes and elements,
    event-handler attributes and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script_start: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_inline_finder_sees_what_csp_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{}</script><p style="color:red" onclick="x()">'
        '<a href="javascript:void(0)">x</a><style>p{}</style>'
    )
    assert inline_code(html) == [
        "inline <script> at line 1",
        '<p style="color:red">',
        '<p onclick="x()">',
        '<a href="javascript:void(0)">',
        "<style>",
    ]


STORY = (
    "湖里区禾山街道开展垃圾分类志愿服务\n2021-11-13 09:11:07    来源:厦门日报\n"
    "本报讯（记者 林晓东）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动。\n"
).encode()


@pytest.fixture
def staff_client(db, django_user_model):
    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import RawItem

    report = articles_import_batch(items=[RawItem(name="story.txt", raw=STORY)])
    admin = django_user_model.objects.create_superuser("boss", password="boss-pass-2021")
    client = Client()
    client.force_login(admin)
    return client, report.items[0].article_id, admin.pk


ADMIN_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/?needs_review__exact=1",
    "/admin/articles/article/{article}/change/",
    "/admin/articles/article/{article}/history/",
    "/admin/articles/article/{article}/delete/",
    "/admin/articles/article/import/",
    "/admin/articles/source/",
    "/admin/articles/district/",
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/auth/user/{user}/change/",
    "/admin/auth/user/{user}/password/",
    "/admin/auth/group/add/",
    "/admin/password_change/",
]
PUBLIC_PAGES = ["/", "/search/?q=禾山街道", "/articles/{article}/", "/archive/", "/admin/login/"]


@pytest.mark.parametrize("path", ADMIN_PAGES + PUBLIC_PAGES)
def test_pages_work_under_the_csp_without_inline_code(staff_client, path):
    client, article, user = staff_client
    if path in PUBLIC_PAGES:
        client = Client()
    response = client.get(path.format(article=article, user=user))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert inline_code(response.content.decode()) == []


CSP_SPY = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} line ${e.lineNumber}`);
});
"""


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_admin_in_chromium_has_no_csp_violations(live_server, django_user_model, browser):
    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import RawItem

    report = articles_import_batch(items=[RawItem(name="story.txt", raw=STORY)])
    article = report.items[0].article_id
    user = django_user_model.objects.create_superuser("boss", password="boss-pass-2021")
    visited: dict[str, list[str]] = {}
    page = browser.new_context().new_page()
    page.add_init_script(CSP_SPY)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "boss-pass-2021")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/import/",
        f"/admin/articles/article/{article}/change/",
        f"/admin/articles/article/{article}/history/",
        f"/admin/auth/user/{user.pk}/change/",
        "/admin/auth/group/add/",
        "/",
        "/search/?q=禾山街道",
        f"/articles/{article}/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        visited[path] = page.evaluate("window.__csp")
    # The admin's own JavaScript ran: the user form's filter widget was built.
    page.goto(f"{live_server.url}/admin/auth/group/add/")
    page.wait_for_selector("#id_permissions_filter")
    assert visited == {path: [] for path in visited}
