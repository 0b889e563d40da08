"""python manage.py load_demo: the shipped demo articles, through the real import path."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem, iter_paths

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "articles"
DEMO_YEAR = 2024  # the year for the demo pages whose dateline gives only month and day


def demo_items(path: Path) -> Iterator[RawItem]:
    """The items under `path`, named relative to the project ("demo/articles/x.txt") or, for a
    folder outside it, to the folder's parent: editors see the name, not the server's layout.

    /work/main/demo/articles/feed.jsonl:2 → demo/articles/feed.jsonl:2
    """
    path = path.resolve()
    base = Path(settings.BASE_DIR).resolve()
    root = base if path.is_relative_to(base) else path.parent
    prefix = f"{root}/"
    for item in iter_paths([path]):
        if item.name.startswith(prefix):
            item = dataclasses.replace(item, name=item.name.removeprefix(prefix))
        yield item


class Command(BaseCommand):
    help = "导入项目自带的演示稿件（demo/articles），可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(DEMO_DIR))

    def handle(self, *args: object, **options: object) -> None:
        report = articles_import_batch(
            items=demo_items(Path(str(options["path"]))),
            default_year=DEMO_YEAR,
            label="演示数据",
        )
        for item in report.items:
            if item.outcome == "failed":
                self.stderr.write(f"失败  {item.name}：{item.message}")
        self.stdout.write("演示数据：" + report.summary())
