"""setup_editors [--demo]: the "editor" group with exactly the permissions editors need.

Idempotent: run it after every deploy; extra permissions given by hand are taken away again.
--demo (DEBUG only) also makes the users editor/editor-demo and admin/admin-demo.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

EDITOR_GROUP = "editor"
EDITOR_PERMISSIONS = (
    "view_article",
    "add_article",
    "change_article",
    "delete_article",
    "view_source",
    "change_source",
    "view_district",
    "view_importbatch",
    "view_importjob",
    "add_importjob",
    "view_historicalarticle",
)
DEMO_USERS = (
    # username, password, superuser
    ("editor", "editor-demo", False),
    ("admin", "admin-demo", True),
)


def editor_group_setup() -> Group:
    """The editor group with exactly EDITOR_PERMISSIONS on the articles app."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    perms = list(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
    )
    missing = set(EDITOR_PERMISSIONS) - {p.codename for p in perms}
    if missing:
        raise CommandError(f"缺少权限（先运行 migrate）：{', '.join(sorted(missing))}")
    group.permissions.set(perms)
    return group


def demo_user_setup(*, username: str, password: str, superuser: bool, group: Group):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    if superuser:
        user.groups.clear()
    else:
        user.groups.set([group])
    return user


class Command(BaseCommand):
    help = "创建“editor”编辑组（权限恰好够用）；--demo 在 DEBUG 模式下另建演示账号。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="另建演示账号 editor/editor-demo 与 admin/admin-demo（仅 DEBUG 模式）",
        )

    def handle(self, *args: object, demo: bool = False, **options: object) -> None:
        if demo and not settings.DEBUG:
            raise CommandError("--demo 只能在 DEBUG 模式下使用：演示账号的密码是公开的。")
        group = editor_group_setup()
        self.stdout.write(f"编辑组“{group.name}”：{group.permissions.count()} 项权限")
        if demo:
            for username, password, superuser in DEMO_USERS:
                demo_user_setup(
                    username=username, password=password, superuser=superuser, group=group
                )
                role = "超级管理员" if superuser else "编辑"
                self.stdout.write(f"演示账号 {username} / {password}（{role}）")
