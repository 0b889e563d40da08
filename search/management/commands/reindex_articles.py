"""python manage.py reindex_articles: rebuild the search index from the database.

Goes through search.indexing.rebuild(): one writer, one commit (searches see the old index
until the new one is complete), then the updates queued meanwhile. Haystack's rebuild_index
instead clears the index first and commits batch by batch.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from search import indexing


class Command(BaseCommand):
    help = "用数据库中已发布的稿件重建检索索引（一次提交，重建期间检索仍用旧索引）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)

    def handle(self, *args: object, **options: object) -> None:
        show_bar = sys.stderr.isatty() and int(options["verbosity"]) > 0  # type: ignore[call-overload]
        # No tqdm monitor thread: the index write forks its worker processes only from a
        # single-threaded process (search.engine.whoosh.index.write_batches); with the monitor
        # running, a rebuild indexed in one process.
        tqdm.monitor_interval = 0
        bar = tqdm(desc="索引", unit="篇", disable=not show_bar, file=sys.stderr)

        def progress(done: int) -> None:
            bar.update(done - bar.n)

        count = indexing.rebuild(batch_size=int(options["batch_size"]), progress=progress)  # type: ignore[call-overload]
        bar.close()
        self.stdout.write(f"已索引 {count} 篇稿件")
