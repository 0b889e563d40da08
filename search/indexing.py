"""The one writer path into the search index, with a queue that loses nothing.

Every article save or delete queues a PendingIndexUpdate row in the article's own transaction
(search.signals). After the commit the article is written to the index and its rows are
deleted. A write that cannot be made now (the lock is busy, or it failed, or the process was
killed) leaves the rows for later: the next write in any process drains the queue, and so do
every import (also one that stored nothing new), search_check and reindex_articles; a retry
thread keeps trying after a failed write in long-lived processes, and each server worker
drains the queue every SEARCH_DRAIN_SECONDS (drain_in_background(), from gunicorn's post_fork).

- Writers take turns (the engine's writer_turn(): with Whoosh a flock beside its lock), held
  from reading the queue and the articles until the commit: the later writer writes the later
  state.
- After a save or delete (on_commit), and at the exit of batch(): never wait for the lock.
  If another writer holds it, the update stays queued and that writer, which drains the
  queue before it is done, applies it.
- index_articles(ids), apply_pending(), rebuild(): explicit calls; they wait for the lock and
  raise when the write fails (the rows stay queued).
rebuild(): every published article, prepared in batches of BATCH_SIZE, one writer, one commit.
index_diff() / index_repair(): what search_check reports and repairs (Whoosh only).
Every write goes through the engine of search.engine.get_engine().
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from search.engine import TurnTimeout, article_index, get_engine

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Queued updates of other articles that one save also applies; the rest are left to the
# retry thread, so a save after a crashed import does not rebuild half the index.
SAVE_DRAIN = 100
DRAIN_ROUNDS = 5
_LOCAL = threading.local()


def _pending_model() -> Any:
    from search.models import PendingIndexUpdate

    return PendingIndexUpdate


def _chunks(ids: list[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- The queue ---------------------------------------------------------------------------


def queue_articles(ids: Iterable[int], *, error: str = "") -> None:
    """Queue index updates for these articles (in the caller's transaction)."""
    model = _pending_model()
    rows = [model(article_id=int(pk), last_error=error[:2000]) for pk in ids]
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def pending_count() -> int:
    """How many queued index updates are waiting."""
    return int(_pending_model().objects.count())


def _snapshot(ids: set[int], limit: int | None) -> dict[int, int]:
    """Queue rows (pk → article id) to apply now: those of `ids` and up to `limit` more,
    oldest first (None: all). Read before the articles, so a row queued after this read stays
    for the next write."""
    rows = _pending_model().objects.order_by("pk").values_list("pk", "article_id")
    if limit is None:
        return dict(rows)
    found = dict(rows[:limit])
    for chunk in _chunks(sorted(ids)):
        found.update(rows.filter(article_id__in=chunk))
    return found


def _forget(row_ids: Iterable[int]) -> None:
    model = _pending_model()
    for chunk in _chunks(sorted(row_ids)):
        model.objects.filter(pk__in=chunk).delete()


def _failed(rows: dict[int, int], ids: set[int], exc: BaseException) -> None:
    """Count the failure on the queued rows; queue the ids that had no row."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    model = _pending_model()
    try:
        for chunk in _chunks(sorted(rows)):
            model.objects.filter(pk__in=chunk).update(attempts=F("attempts") + 1, last_error=error)
        queue_articles(ids - set(rows.values()), error=error)
    except Exception:
        log.exception("could not record a failed index write of articles %s", sorted(ids))


# --- Writing -----------------------------------------------------------------------------


def _sync(ids: Iterable[int], *, wait: bool, limit: int | None, queued_only: bool = False) -> bool:
    """Write the current state of `ids` and of the queued articles, then drop their rows.

    queued_only: skip the ids whose rows are gone (another write applied them since).
    True when written; False when not waiting and the lock is busy (the rows stay). A failed
    write records the error on the rows and raises.
    """
    wanted = {int(i) for i in ids}
    engine = get_engine()
    try:
        with engine.writer_turn(wait=wait) as ours:
            if not ours:
                log.warning("search index busy: the queued updates wait for its writer")
                return False
            rows = _snapshot(wanted, limit)
            if queued_only:
                wanted &= set(rows.values())
            targets = sorted(wanted | set(rows.values()))
            if targets:
                try:
                    engine.write(_chunks(targets))
                except BaseException as exc:
                    _failed(rows, wanted, exc)
                    raise
                _forget(rows)
    except TurnTimeout as exc:
        _failed({}, wanted, exc)
        raise
    return True


def _settle(
    ids: Iterable[int], *, wait: bool, limit: int | None, queued_only: bool = False
) -> bool:
    """_sync, then drain what other writers queued while we held the lock: they did not wait
    for it, so whoever holds the lock applies their updates before it is done."""
    if not _sync(ids, wait=wait, limit=limit, queued_only=queued_only):
        return False
    model = _pending_model()
    for _ in range(DRAIN_ROUNDS if limit is None else 1):
        if not model.objects.exists():
            return True
        if not _sync((), wait=wait, limit=limit):
            return False
    return True


def _after_commit(ids: list[int], *, limit: int | None) -> None:
    """After a save or delete: write now if nobody else is writing; never raise (the
    database change is committed, the queue keeps the update). Saves queue their rows, so
    an id without rows left was written by someone else since (a bulk delete: one write)."""
    try:
        done = _settle(ids, wait=False, limit=limit, queued_only=True)
    except Exception:
        log.exception("search index write failed; articles %s stay queued", ids[:20])
        done = False
    if not done or pending_count():
        retry_in_background()


def index_articles(ids: Iterable[int]) -> None:
    """Write the current state of these articles now (published ones (re)indexed, others
    removed) and the queued updates; waits for the lock, raises if the write fails."""
    _settle(ids, wait=True, limit=None)


def apply_pending() -> int:
    """Write every queued update (waits for the lock; raises if a write fails).

    Returns how many queued rows were applied.
    """
    before = pending_count()
    _settle((), wait=True, limit=None)
    return before - pending_count()


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Replace the index with every published article, prepared batch by batch, written by
    one writer and committed once (searches see the old index until then). Returns the count.

    Queue rows read before the articles are applied by it; rows queued meanwhile after it."""
    engine = get_engine()
    with engine.writer_turn(wait=True):
        rows = _snapshot(set(), None)
        ids = list(article_index().index_queryset().values_list("pk", flat=True))

        def batches() -> Iterator[list[int]]:
            for start in range(0, len(ids), batch_size):
                yield ids[start : start + batch_size]
                if progress is not None:
                    progress(min(start + batch_size, len(ids)))

        engine.write(batches(), clear=True)
        _forget(rows)
    _settle((), wait=True, limit=None)
    return len(ids)


# --- Signals and batches -------------------------------------------------------------------


def pending() -> set[int] | None:
    """The ids collected by the innermost open batch() of this thread, or None outside one."""
    stack = getattr(_LOCAL, "stack", [])
    return stack[-1] if stack else None


def article_changed(pk: int) -> None:
    """Called by the signal processor after a save or delete of an article, inside its
    transaction: the queue row commits or rolls back with the change."""
    queue_articles([pk])
    collected = pending()
    if collected is not None:
        collected.add(pk)
    else:
        transaction.on_commit(lambda: _after_commit([pk], limit=SAVE_DRAIN))


@contextlib.contextmanager
def batch() -> Iterator[set[int]]:
    """Collect article saves and deletes; write them in one commit when the block exits."""
    stack = _LOCAL.__dict__.setdefault("stack", [])
    stack.append(set())
    try:
        yield stack[-1]
    finally:
        # Also when the block raised: what was committed must reach the index; what was
        # rolled back is dropped with the transaction's on_commit callbacks.
        collected = sorted(stack.pop())
        # A batch (an import) also drains the whole queue, also when it stored nothing:
        # re-running an import that was killed before its index write brings the index in step.
        if collected or _pending_model().objects.exists():
            transaction.on_commit(lambda: _after_commit(collected, limit=None))


# --- Retrying in the background ------------------------------------------------------------

_RETRY_LOCK = threading.Lock()
_RETRY: dict[str, threading.Thread] = {}


def retry_in_background() -> threading.Thread | None:
    """Start (once per process) a thread that applies the queue as soon as the lock is free,
    for SEARCH_PENDING_RETRY_SECONDS (default 300; 0 turns it off)."""
    seconds = float(getattr(settings, "SEARCH_PENDING_RETRY_SECONDS", 300))
    if seconds <= 0:
        return None
    return _once("thread", _retry_loop, seconds, name="search-index-retry")


def _once(
    key: str, loop: Callable[[float], None], seconds: float, *, name: str
) -> threading.Thread:
    """This process's daemon thread running loop(seconds), started unless one is alive."""
    with _RETRY_LOCK:
        thread = _RETRY.get(key)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=loop, args=(seconds,), name=name, daemon=True)
            _RETRY[key] = thread
            thread.start()
        return thread


def wait_for_retry(timeout: float) -> bool:
    """Wait for this process's retry thread to finish; True when none is running any more."""
    thread = _RETRY.get("thread")
    if thread is not None:
        thread.join(timeout)
    return thread is None or not thread.is_alive()


def drain_pending() -> int:
    """Apply the queued updates now, BATCH_SIZE at a time, unless another writer holds the
    lock (it drains the queue before letting go). Never waits, never raises; returns how many
    of the rows queued when it started it applied (it also applies those queued meanwhile).
    What search_check and the server's drain thread call."""
    queued = _pending_model().objects.order_by("-pk").values_list("pk", flat=True)
    top = queued.first()
    if top is None:
        return 0
    waiting = queued.filter(pk__lte=top).count()
    started = time.monotonic()
    try:
        while _settle((), wait=False, limit=BATCH_SIZE) and pending_count():
            pass
    except Exception:
        log.exception("search index drain failed; the updates stay queued")
    applied = waiting - queued.filter(pk__lte=top).count()
    if applied:
        elapsed = time.monotonic() - started
        log.info("applied %d queued search index updates in %.1f s", applied, elapsed)
    return applied


def drain_in_background() -> threading.Thread | None:
    """Start (once per process) a thread that applies, every SEARCH_DRAIN_SECONDS (default 20;
    0 turns it off), what other processes left queued: an import killed before its index
    write, a save whose write failed in a process that is gone. For servers (gunicorn's
    post_fork): requests never wait for it, it never waits for the writers' lock."""
    seconds = float(getattr(settings, "SEARCH_DRAIN_SECONDS", 20))
    if seconds <= 0:
        return None
    return _once("drain", _drain_loop, seconds, name="search-index-drain")


def _drain_loop(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        try:
            drain_pending()
        except Exception:  # the database is away: try again next time
            log.exception("search index drain could not read the queue")
        finally:
            connection.close()  # hold no connection while sleeping (as _retry_loop)


def _retry_loop(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    delay = 0.1
    try:
        while time.monotonic() < deadline:
            time.sleep(delay)
            try:
                written = _settle((), wait=False, limit=BATCH_SIZE)
            except Exception:
                log.exception("search index retry failed; the updates stay queued")
                written = False
            finally:
                # Hold no database connection while sleeping: it would keep the database
                # busy for minutes (a test database could not be dropped meanwhile).
                connection.close()
            if written and not pending_count():
                return
            delay = 0.1 if written else min(delay * 2, 5.0)
        log.warning(
            "%d search index updates still queued; run manage.py index_pending", pending_count()
        )
    finally:
        connection.close()


# --- Comparing the index with the database -------------------------------------------------


@dataclass
class IndexDiff:
    """Where the index and the published articles disagree (article ids, ascending)."""

    expected: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)  # published, not in the index
    stale: list[int] = field(default_factory=list)  # indexed content differs, or twice
    orphaned: list[int] = field(default_factory=list)  # in the index, not published

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)

    @property
    def ids(self) -> list[int]:
        return sorted({*self.missing, *self.stale, *self.orphaned})


def index_diff() -> IndexDiff:
    """Compare every published article's content digest with the indexed one."""
    index = article_index()
    expected = {
        obj.pk: index.full_prepare(obj)["digest"]
        for obj in index.index_queryset().iterator(chunk_size=BATCH_SIZE)
    }
    indexed = get_engine().indexed_digests()
    diff = IndexDiff(expected=len(expected), indexed=sum(map(len, indexed.values())))
    diff.missing = sorted(expected.keys() - indexed.keys())
    diff.orphaned = sorted(indexed.keys() - expected.keys())
    diff.stale = sorted(
        pk for pk, found in indexed.items() if pk in expected and found != [expected[pk]]
    )
    return diff


def index_repair(diff: IndexDiff) -> None:
    """Rewrite the articles a diff names, and apply the queue, through the writer path."""
    _settle(diff.ids, wait=True, limit=None)
