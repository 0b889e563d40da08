"""An import run: every raw item cleaned (in worker processes when asked), stored (in chunks,
importing/chunks.py, or one by one, importing/store.py), counted on its batch, and the index
updates it queued applied at the end (search.indexing)."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone

from articles.batches import batch_counts_save, batch_owner, batches_mark_interrupted
from articles.cleaning import CleanArticle
from articles.importing.chunks import stored_in_chunks
from articles.importing.readers import RawItem, clean_job
from articles.importing.results import ImportReport, ItemResult, Outcome
from articles.importing.store import item_store
from articles.models import ImportBatch
from search import indexing


def articles_import_batch(
    *,
    items: Iterable[RawItem],
    default_year: int | None = None,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    label: str = "",
    on_item: Callable[[ItemResult], None] | None = None,
    workers: int = 1,
) -> ImportReport:
    """Clean and store every item; one bad item never stops the batch.

    Same raw bytes twice → ALREADY; same cleaned text (another encoding, HTML instead of
    text, a repost) → DUPLICATE of the stored article. Dry runs store nothing and still find
    duplicates, in the database and within the run. The index is written once, at the end.
    workers > 1: the cleaner (pure, the costly part) runs in that many worker processes, a
    window of items ahead; the database work stays in this process, in input order, so the
    outcome is the same as with one worker. A real import stores STORE_CHUNK items at a time
    (articles.importing.chunks), with the same report as storing them one by one, writes its
    counts to its batch as it goes, marks the batches of killed imports interrupted and, at
    the end, also applies the index updates a killed import left queued.
    """
    report = ImportReport()
    batch = None
    if not dry_run:
        report.interrupted = batches_mark_interrupted()
        batch = ImportBatch.objects.create(
            label=label[:200], created_by=user, default_year=default_year, **batch_owner()
        )
        report.batch_id = batch.pk
    seen: dict[str, str] = {}  # fingerprint → item name, for duplicates within the run
    counts: Counter[str] = Counter()
    # A dry run writes nothing, not even the queue other processes left.
    with contextlib.nullcontext(set()) if dry_run else indexing.batch() as collected:
        pairs = _precleaned(items, default_year=default_year, workers=workers)
        if batch is not None and connection.features.can_return_rows_from_bulk_insert:
            results = stored_in_chunks(
                pairs, default_year=default_year, batch=batch, seen=seen, collected=collected
            )
        else:  # a dry run stores nothing; without ids from bulk inserts, one save per item
            results = (
                item_store(item, default_year=default_year, batch=batch, seen=seen, cleaned=c)
                for item, c in pairs
            )
        for result in results:
            report.items.append(result)
            if batch is not None:
                _count(counts, result, batch)
            if on_item:
                on_item(result)
        if batch is not None:  # before the index write: a kill there keeps the true counts
            batch_counts_save(batch, counts)
    if batch is not None:
        _batch_finish(batch, report)
    return report


COUNTS_EVERY = 64  # items between two writes of a running import's counts to its batch


def _count(counts: Counter[str], result: ItemResult, batch: ImportBatch) -> None:
    """Count one result; every COUNTS_EVERY items, write the counts to the batch."""
    if result.outcome == Outcome.IMPORTED:
        counts["imported"] += 1
        counts["needs_review"] += result.needs_review
    elif result.outcome == Outcome.FAILED:
        counts["failed"] += 1
    else:
        counts["duplicates"] += 1
    if counts.total() % COUNTS_EVERY == 0:
        batch_counts_save(batch, counts)


CLEAN_WINDOW = 256  # items cleaned ahead per window when cleaning in worker processes


def _precleaned(
    items: Iterable[RawItem], *, default_year: int | None, workers: int
) -> Iterator[tuple[RawItem, CleanArticle | str | None]]:
    """(item, its readers.clean_job result or None) in input order. With workers > 1 and
    more than one window of items, a pool cleans the next window while this process stores
    the last one.

    The pool's processes come from a fork server (a fresh single-threaded process with the
    cleaner preloaded): forking this process, which may run threads, could deadlock.
    """
    iterator = iter(items)
    chunk = list(itertools.islice(iterator, CLEAN_WINDOW))
    if workers <= 1 or len(chunk) < CLEAN_WINDOW:
        yield from ((item, None) for item in itertools.chain(chunk, iterator))
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["articles.importing.readers"])
    pool = context.Pool(workers)
    try:
        pending: tuple[list[RawItem], Any] | None = None
        while True:
            job = (
                pool.map_async(clean_job, [(i, default_year) for i in chunk], 8) if chunk else None
            )
            if pending is not None:
                yield from zip(pending[0], pending[1].get(), strict=True)
            if job is None:
                break
            pending = (chunk, job)
            chunk = list(itertools.islice(iterator, CLEAN_WINDOW))
    finally:
        pool.terminate()
        pool.join()


def _batch_finish(batch: ImportBatch, report: ImportReport) -> None:
    batch.imported = report.imported
    batch.duplicates = report.duplicates
    batch.needs_review = report.needs_review
    batch.failed = report.failed
    batch.finished_at = timezone.now()
    batch.save()
