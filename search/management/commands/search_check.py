"""python manage.py search_check [--repair]: does the search index match the database?

Missing: published, not in the index. Stale: indexed content differs from the database (the
index's digest field), or the article is indexed twice. Orphaned: in the index but deleted or
hidden. Exits non-zero when they disagree, unless --repair fixed it.

First it marks the batches of killed imports interrupted and applies the queued updates (as
every writer does before it ends): what is queued is on its way, not a disagreement.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.batches import batch_interrupted_line, batches_mark_interrupted
from search import indexing

EXAMPLES = 10


class Command(BaseCommand):
    help = "比对数据库与检索索引（缺失、过期、多余的文档），--repair 修复。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="rewrite what disagrees")

    def handle(self, *args: object, **options: object) -> None:
        for batch in batches_mark_interrupted():
            self.stdout.write(batch_interrupted_line(batch))
        waiting = indexing.pending_count()
        if waiting:
            applied = indexing.drain_pending()
            self.stdout.write(f"排队 {waiting} 条，已先写入索引 {applied} 条")
        try:
            diff = indexing.index_diff()
        except NotImplementedError as exc:
            raise CommandError(str(exc)) from exc
        self._report(diff)
        if diff.ok and not options["repair"]:
            return
        if not options["repair"]:
            raise CommandError("索引与数据库不一致（--repair 修复）")
        indexing.index_repair(diff)
        after = indexing.index_diff()
        self.stdout.write("修复后：")
        self._report(after)
        if not after.ok:
            raise CommandError("修复后仍不一致（可能有导入或编辑正在进行，稍后再试）")

    def _report(self, diff: indexing.IndexDiff) -> None:
        self.stdout.write(
            f"数据库 {diff.expected} 篇已发布，索引 {diff.indexed} 篇；"
            f"缺失 {len(diff.missing)}，过期 {len(diff.stale)}，多余 {len(diff.orphaned)}；"
            f"排队 {indexing.pending_count()} 条"
        )
        for label, ids in (("缺失", diff.missing), ("过期", diff.stale), ("多余", diff.orphaned)):
            if ids:
                more = " …" if len(ids) > EXAMPLES else ""
                self.stdout.write(f"  {label}：" + " ".join(f"#{i}" for i in ids[:EXAMPLES]) + more)
        if diff.ok:
            self.stdout.write("一致")
