"""python manage.py load_demo: the shipped demo articles, through the real import path."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from articles.readers import iter_paths
from articles.services import articles_import_batch

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "articles"
DEMO_YEAR = 2024  # the year for the demo pages whose dateline gives only month and day


class Command(BaseCommand):
    help = "导入项目自带的演示稿件（demo/articles），可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(DEMO_DIR))

    def handle(self, *args: object, **options: object) -> None:
        report = articles_import_batch(
            items=iter_paths([str(options["path"])]),
            default_year=DEMO_YEAR,
            label="演示数据",
        )
        for item in report.items:
            if item.outcome == "failed":
                self.stderr.write(f"失败  {item.name}：{item.message}")
        self.stdout.write("演示数据：" + report.summary())
