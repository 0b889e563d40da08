"""Import batches: which process runs each, its counts as it goes, and the ones whose process
died (kill -9, a crash, a recycled server worker) before it could write finished_at.

A batch records its host and pid when it starts and its counts after every stored chunk and
before its index write, so a killed import's batch keeps what it had done. A batch left
unfinished by a process that no longer exists on this host is marked interrupted, with the
articles it stored counted again from the database (editors may have deleted some since).
"""

from __future__ import annotations

import os
import socket
from collections import Counter

from django.db import transaction

from articles.models import Article, ImportBatch

HOST = socket.gethostname()[:255]


def batch_owner() -> dict[str, object]:
    """The fields that name the running process: ImportBatch.objects.create(**batch_owner())."""
    return {"host": HOST, "pid": os.getpid()}


def batch_counts_save(batch: ImportBatch, counts: Counter[str]) -> None:
    """Write the counts so far (keys: imported, duplicates, needs_review, failed)."""
    fields = {name: counts[name] for name in ("imported", "duplicates", "needs_review", "failed")}
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for name, value in fields.items():
        setattr(batch, name, value)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def batches_mark_interrupted() -> list[ImportBatch]:
    """Mark as interrupted the unfinished batches of this host whose process is gone; returns
    them, their imported and needs_review recounted from their articles.

    A batch of another host, or one started before batches recorded their process, is left
    as it is: nothing here can tell whether it still runs.
    """
    unfinished = ImportBatch.objects.filter(
        finished_at__isnull=True, interrupted=False, host=HOST, pid__isnull=False
    )
    marked = []
    for batch in unfinished:
        if batch.pid == os.getpid() or not _process_gone(batch.pid):
            continue
        articles = Article.objects.filter(import_batch=batch)
        with transaction.atomic():
            batch.imported = articles.count()
            batch.needs_review = articles.filter(needs_review=True).count()
            batch.interrupted = True
            batch.save(update_fields=["imported", "needs_review", "interrupted"])
        marked.append(batch)
    return marked


def batch_interrupted_line(batch: ImportBatch) -> str:
    """导入批次 #1 已中断：导入 300 篇，重复 10 篇，待审核 0 篇，失败 1 个"""
    return (
        f"导入批次 #{batch.pk} 已中断：导入 {batch.imported} 篇，重复 {batch.duplicates} 篇，"
        f"待审核 {batch.needs_review} 篇，失败 {batch.failed} 个"
    )
