"""The queue of index updates not yet written to the search index."""

from __future__ import annotations

from django.db import models


class PendingIndexUpdate(models.Model):
    """An article whose index entry may be behind the database.

    Written in the same transaction as the article change (so a crash after the commit loses
    nothing), deleted once a write of that article's current state has committed. No foreign
    key: a deleted article's row must outlive it until the index forgets the article.
    """

    article_id = models.BigIntegerField("稿件 ID", db_index=True)
    queued_at = models.DateTimeField("排队时间", auto_now_add=True)
    attempts = models.PositiveIntegerField("失败次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "待写入索引"

    def __str__(self) -> str:
        return f"稿件 #{self.article_id}"
