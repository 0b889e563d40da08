"""System checks for a deployment: `manage.py check --deploy` warns while a demo account from
`setup_editors --demo` (made under DEBUG, password published in the README) can still log in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from articles.management.commands.setup_editors import DEMO_USERS


@register(Tags.security, deploy=True)
def demo_accounts_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """portal.W001 for each active demo user whose password is still the demo one.

    Only the known demo usernames are hashed (two PBKDF2 checks at most). The hash function is
    called without a setter so a check never rewrites a password hash. Before `migrate` there
    is no user table and nothing to warn about."""
    passwords = {username: password for username, password, _ in DEMO_USERS}
    try:
        users = list(
            get_user_model()
            .objects.filter(username__in=passwords, is_active=True)
            .order_by("username")
            .values_list("username", "password")
        )
    except DatabaseError:
        return []
    return [
        Warning(
            f"The demo account '{username}' still has its public demo password.",
            hint=(
                "Delete it (manage.py shell) or give it a strong password "
                f"(manage.py changepassword {username})."
            ),
            id="portal.W001",
        )
        for username, encoded in users
        if check_password(passwords[username], encoded)
    ]
