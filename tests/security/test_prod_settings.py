"""Issue 20, point 9: production refuses unsafe settings and warns about demo accounts.

Real subprocesses with portal.settings.prod, as tests/integration/test_production.py runs them.
"""

from __future__ import annotations

import pytest

from tests.integration.test_production import manage, prod_env

# Made once with secrets.token_hex(32): 64 characters from only 16 symbols, and strong.
HEX_KEY = "9f1c0a7e5b3d2846af0c9e1b7d5a3f2864c0e9a1b7f3d5c28e6a0f4b9d1c7e35"


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ("*", "DJANGO_ALLOWED_HOSTS may not contain '*': it would accept any Host header."),
        (
            "news.example.com,*",
            "DJANGO_ALLOWED_HOSTS may not contain '*': it would accept any Host header.",
        ),
        ("*.example.com", "DJANGO_ALLOWED_HOSTS may not contain '*.example.com'"),
        (".", "DJANGO_ALLOWED_HOSTS may not contain '.'"),
        ("..", "DJANGO_ALLOWED_HOSTS may not contain '..'"),
        (".cn", "DJANGO_ALLOWED_HOSTS may not contain '.cn'"),
    ],
    ids=["star", "star-among-others", "star-subdomains", "dot", "dots", "top-level-domain"],
)
def test_prod_refuses_wildcard_allowed_hosts(tmp_path, hosts, message):
    result = manage(prod_env(tmp_path, DJANGO_ALLOWED_HOSTS=hosts), "check")
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "correcthorse" * 5,
            "DJANGO_SECRET_KEY is too weak (60 characters): only 7 different characters",
        ),
        (
            "abcdefghijklmnopqrstuvwxyz" * 2,
            "DJANGO_SECRET_KEY is too weak (52 characters): it repeats itself",
        ),
        (
            "Xiamen-News-2026!" * 3,
            "DJANGO_SECRET_KEY is too weak (51 characters): it repeats itself",
        ),
        (
            "0123456789" * 6,
            "DJANGO_SECRET_KEY is too weak (60 characters): it repeats itself",
        ),
    ],
    ids=["repeated-word", "alphabet-twice", "phrase-thrice", "digits"],
)
def test_prod_refuses_a_low_entropy_secret_key(tmp_path, key, message):
    result = manage(prod_env(tmp_path, DJANGO_SECRET_KEY=key), "check")
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr
    assert key[:12] not in result.stderr  # the message never shows the key


@pytest.mark.parametrize(
    "hosts",
    ["news.example.com", "news.example.com, .xmnews.cn", "127.0.0.1", "[::1]"],
)
@pytest.mark.slow
def test_prod_accepts_real_host_names(tmp_path, hosts):
    result = manage(prod_env(tmp_path, DJANGO_ALLOWED_HOSTS=hosts), "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_prod_accepts_a_random_hex_key(tmp_path):
    result = manage(prod_env(tmp_path, DJANGO_SECRET_KEY=HEX_KEY), "check")
    assert result.returncode == 0, result.stderr


# --- demo accounts -----------------------------------------------------------------------


DEMO_WARNINGS = (
    "?: (portal.W001) The demo account 'admin' still has its public demo password.\n"
    "\tHINT: Delete it (manage.py shell) or give it a strong password "
    "(manage.py changepassword admin).\n"
    "?: (portal.W001) The demo account 'editor' still has its public demo password.\n"
    "\tHINT: Delete it (manage.py shell) or give it a strong password "
    "(manage.py changepassword editor).\n"
)


@pytest.fixture
def demo_site(tmp_path):
    """A data directory where the demo accounts were made under DEBUG, as scripts/run does."""
    debug = prod_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings.base", DJANGO_DEBUG="1")
    for args in (("migrate", "--noinput"), ("setup_editors", "--demo")):
        result = manage(debug, *args)
        assert result.returncode == 0, result.stderr
    return prod_env(tmp_path)


@pytest.mark.slow
def test_check_deploy_warns_while_demo_accounts_have_their_demo_passwords(demo_site):
    result = manage(demo_site, "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "System check identified some issues:\n\nWARNINGS:\n"
        + DEMO_WARNINGS
        + "\nSystem check identified 2 issues (0 silenced).\n"
    )
    assert result.stdout == ""

    strict = manage(demo_site, "check", "--deploy", "--fail-level", "WARNING")
    assert strict.returncode == 1


@pytest.mark.slow
def test_check_deploy_is_quiet_once_the_demo_passwords_are_changed(demo_site):
    change = (
        "from django.contrib.auth.models import User; "
        "u = User.objects.get(username='editor'); u.set_password('a-real-secret-2026'); u.save(); "
        "User.objects.filter(username='admin').update(is_active=False)"
    )
    result = manage(demo_site, "shell", "--no-imports", "-c", change)
    assert result.returncode == 0, result.stderr

    result = manage(demo_site, "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
