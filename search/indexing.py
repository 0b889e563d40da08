"""The one writer path into the search index.

index_articles(ids) / remove_articles(ids): apply now, one commit (delete + add).
batch(): saves and deletes signalled inside it are collected and written together when it
exits (after the surrounding transaction commits): one writer, delete + add per chunk of
BATCH_SIZE, one commit for the whole import.
rebuild(): every published article, prepared in batches of BATCH_SIZE, one writer, one commit.
Hidden articles are removed from the index; a write that cannot take the lock raises.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from haystack import connections

from search import whoosh_index
from search.backends import whoosh_document

BATCH_SIZE = 500
_LOCAL = threading.local()


def _backend() -> Any:
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def _article_index() -> Any:
    from articles.models import Article

    return connections["default"].get_unified_index().get_index(Article)


def _ident(pk: int) -> str:
    return f"articles.article.{pk}"


def index_articles(ids: Iterable[int]) -> None:
    """Write the current state of these articles: published ones (re)indexed, others removed."""
    whoosh_index.write_batches(_backend().state, [_prepare(ids)])


def _prepare(ids: Iterable[int]) -> tuple[list[str], list[dict[str, Any]]]:
    """(ids to delete, documents to add) for one batch: delete all, add the published."""
    ids = sorted({int(i) for i in ids})
    index = _article_index()
    queryset = index.index_queryset().filter(pk__in=ids) if ids else []
    docs = [whoosh_document(index.full_prepare(obj)) for obj in queryset]
    return [_ident(i) for i in ids], docs


def remove_articles(ids: Iterable[int]) -> None:
    """Remove these articles from the index now."""
    idents = [_ident(int(i)) for i in ids]
    whoosh_index.write(_backend().state, delete_ids=idents, docs=[])


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Replace the index with every published article, prepared batch by batch, written by
    one writer and committed once (searches see the old index until then). Returns the count."""
    ids = list(_article_index().index_queryset().values_list("pk", flat=True))

    def batches() -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
        for start in range(0, len(ids), batch_size):
            yield _prepare(ids[start : start + batch_size])
            if progress is not None:
                progress(min(start + batch_size, len(ids)))

    whoosh_index.write_batches(_backend().state, batches(), clear=True)
    return len(ids)


def pending() -> set[int] | None:
    """The ids collected by the innermost open batch() of this thread, or None outside one."""
    stack = getattr(_LOCAL, "stack", [])
    return stack[-1] if stack else None


def article_changed(pk: int) -> None:
    """Called by the signal processor after a save or delete of an article."""
    collected = pending()
    if collected is not None:
        collected.add(pk)
    else:
        transaction.on_commit(lambda: index_articles([pk]), robust=False)


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
        if collected:
            transaction.on_commit(lambda: _flush(collected), robust=False)


def _flush(ids: list[int]) -> None:
    chunks = (ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE))
    whoosh_index.write_batches(_backend().state, (_prepare(chunk) for chunk in chunks))


def search_state() -> whoosh_index.IndexState:
    """The shared index state the default connection searches."""
    return _backend().state
