"""python manage.py index_pending: write the queued search index updates now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import indexing


class Command(BaseCommand):
    help = "把排队等待的索引更新写入检索索引（索引被占用或写入失败时留下的更新）。"

    def handle(self, *args: object, **options: object) -> None:
        waiting = indexing.pending_count()
        try:
            applied = indexing.apply_pending()
        except Exception as exc:
            raise CommandError(
                f"写入索引失败，{indexing.pending_count()} 条仍在排队：{exc}"
            ) from exc
        self.stdout.write(
            f"排队 {waiting} 条，已写入 {applied} 条，仍在排队 {indexing.pending_count()} 条"
        )
