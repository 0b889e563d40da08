"""python manage.py import_articles PATH... [--year YYYY] [--dry-run] [--workers N]"""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from articles.batches import batch_interrupted_line
from articles.importing.batch import articles_import_batch
from articles.importing.readers import iter_paths
from articles.importing.results import ItemResult, Outcome


class Command(BaseCommand):
    help = "导入抓取的网页（txt、html、文件夹、zip、jsonl、jsonl.gz），清洗后入库并建立索引。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument("--year", type=int, help="year for dates that give only month and day")
        parser.add_argument(
            "--dry-run", action="store_true", help="clean and report, store nothing"
        )
        parser.add_argument("--quiet-items", action="store_true", help="do not list failed items")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that run the cleaner (default: one per CPU; 1 = in this process)",
        )

    def handle(self, *args: object, **options: object) -> None:
        year = options["year"]
        if year is not None and not 1990 <= int(year) <= 2100:  # type: ignore[call-overload]
            raise CommandError("--year 应在 1990 到 2100 之间")
        paths = [str(p) for p in options["paths"]]  # type: ignore[attr-defined]
        show_bar = sys.stderr.isatty() and int(options["verbosity"]) > 0  # type: ignore[call-overload]
        # No tqdm monitor thread: the index write forks its workers only from a
        # single-threaded process (search.engine.whoosh.index.write_batches).
        tqdm.monitor_interval = 0
        bar = tqdm(desc="导入", unit="篇", disable=not show_bar, file=sys.stderr)
        problems: list[ItemResult] = []

        def on_item(result: ItemResult) -> None:
            bar.update(1)
            if result.outcome == Outcome.FAILED:
                problems.append(result)

        report = articles_import_batch(
            items=iter_paths(paths),
            default_year=year,  # type: ignore[arg-type]
            dry_run=bool(options["dry_run"]),
            label="命令行导入：" + " ".join(paths),
            on_item=on_item,
            workers=max(1, int(options["workers"])),  # type: ignore[call-overload]
        )
        bar.close()
        for batch in report.interrupted:
            self.stdout.write(batch_interrupted_line(batch))
        if not options["quiet_items"]:
            for result in problems:
                self.stderr.write(f"失败  {result.name}：{result.message}")
        prefix = "试运行（未保存）：" if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
