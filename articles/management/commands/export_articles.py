"""python manage.py export_articles [--output FILE]: JSON Lines, one article a line."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from articles.selectors import articles_for_export


class Command(BaseCommand):
    help = "把全部稿件导出为 JSON Lines（每行一篇）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: object, **options: object) -> None:
        output = options["output"]
        count = 0
        handle = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            for row in articles_for_export():
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if output:
                handle.close()
        if output:
            self.stderr.write(f"导出 {count} 篇到 {output}")
