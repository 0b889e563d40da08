"""Keeps the index in step with article saves and deletes.

Unlike haystack's RealtimeSignalProcessor this queues the update in the article's own
transaction (search.models.PendingIndexUpdate: a crash after the commit loses nothing), writes
after the commit (so a rolled-back import leaves no ghost documents), batches inside
search.indexing.batch(), and never swallows a failed write: it is logged and stays queued
until it is applied, so a deleted article does not stay searchable.
"""

from __future__ import annotations

from typing import Any

from django.db.models import signals
from haystack.signals import BaseSignalProcessor


class ArticleSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        from articles.models import Article
        from search.analysis import warm_up

        warm_up()  # jieba's dictionary and OpenCC load once per process, at start-up

        signals.post_save.connect(self.handle_change, sender=Article)
        signals.post_delete.connect(self.handle_change, sender=Article)

    def teardown(self) -> None:
        from articles.models import Article

        signals.post_save.disconnect(self.handle_change, sender=Article)
        signals.post_delete.disconnect(self.handle_change, sender=Article)

    def handle_change(self, sender: Any, instance: Any, **kwargs: Any) -> None:
        from search.indexing import article_changed

        article_changed(instance.pk)
