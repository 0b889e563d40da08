"""A real import's store, STORE_CHUNK items at a time (articles_import_batch's fast path).

Per chunk: a query for the raw pages already stored (and one for their articles), one for the
texts already stored, then the raw pages, articles, their history records and index queue rows
as bulk inserts, in one transaction. The report is the one storing the items one by one
(store.item_store) gives: same outcomes, messages, ids, in input order. Source and District rows
are looked up once per run. A chunk that hits a unique constraint (a concurrent import
stored one of its pages or texts first) is rolled back and redone item by item, which turns the
conflict into the item's ALREADY or DUPLICATE: nothing is lost, nothing is stored twice.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from articles.cleaning import CleanArticle
from articles.importing.readers import RawItem
from articles.importing.results import (
    ItemResult,
    Outcome,
    result_already,
    result_duplicate,
    result_same_text,
)
from articles.importing.store import RelatedRows, article_apply_clean, item_checked, item_store
from articles.models import Article, ImportBatch, RawPage
from search import indexing

log = logging.getLogger(__name__)

# Items per transaction. Bigger chunks save next to nothing (the per-item work dominates from
# a few dozen on); small ones keep an editor's progress moving and leave little to redo when an
# import is killed.
STORE_CHUNK = 64


@dataclass
class _Planned:
    """One item of a chunk, with what is known before the chunk's own items count."""

    item: RawItem
    cleaned: CleanArticle | str | None  # what a worker process made of it, if one did
    sha: str  # "" for a failed read
    # A failed read, bytes stored before, the cleaner's failure; or the cleaned article.
    state: ItemResult | CleanArticle
    text: str = ""  # the cleaned article's fingerprint (computed once: NFKC of the body)


@dataclass
class _Stored:
    """An item this chunk stores; article_id is set once the chunk is inserted."""

    item: RawItem
    sha: str
    clean: CleanArticle
    text: str
    article_id: int = 0

    def result(self) -> ItemResult:
        return ItemResult(
            self.item.name, Outcome.IMPORTED, article_id=self.article_id, clean=self.clean
        )


@dataclass
class _Copy:
    """An item with the bytes (clean None: ALREADY) or the text (DUPLICATE) of one stored in
    the same chunk: its result names that article, known once the chunk is inserted."""

    name: str
    of: _Stored
    clean: CleanArticle | None

    def result(self) -> ItemResult:
        if self.clean is None:
            return result_already(self.name, self.of.article_id)
        return result_same_text(self.name, self.of.article_id, self.clean)


_Slot = ItemResult | _Stored | _Copy


def stored_in_chunks(
    pairs: Iterable[tuple[RawItem, CleanArticle | str | None]],
    *,
    default_year: int | None,
    batch: ImportBatch,
    seen: dict[str, str],
    collected: set[int],
) -> Iterator[ItemResult]:
    """Store (item, worker's clean or None) pairs; yields their results in input order.

    `seen`: fingerprint → item name, the run's texts; `collected`: the ids the open
    search.indexing.batch() writes to the index when it exits.
    """
    iterator = iter(pairs)
    related = RelatedRows()
    while chunk := list(itertools.islice(iterator, STORE_CHUNK)):
        yield from _chunk_stored(
            chunk,
            default_year=default_year,
            batch=batch,
            seen=seen,
            related=related,
            collected=collected,
        )


def _chunk_stored(
    chunk: list[tuple[RawItem, CleanArticle | str | None]],
    *,
    default_year: int | None,
    batch: ImportBatch,
    seen: dict[str, str],
    related: RelatedRows,
    collected: set[int],
) -> list[ItemResult]:
    planned = _planned(chunk, default_year=default_year)
    slots, new = _resolved(planned, seen)
    try:
        with transaction.atomic():
            ids = _inserted(new, batch=batch, related=related)
    except IntegrityError:
        log.warning("a concurrent import stored some of %d pages first: one by one", len(new))
        for stored in new:  # the run's texts as they were before this chunk
            del seen[stored.text]
        related.clear()  # sources created in the rolled-back transaction are gone
        return [_redone(p, default_year=default_year, batch=batch, seen=seen) for p in planned]
    collected.update(ids)
    for stored, pk in zip(new, ids, strict=True):
        stored.article_id = pk
    return [slot if isinstance(slot, ItemResult) else slot.result() for slot in slots]


def _planned(
    chunk: list[tuple[RawItem, CleanArticle | str | None]], *, default_year: int | None
) -> list[_Planned]:
    """The chunk's items with a failed read, raw bytes stored before (one query) or the
    cleaner's result."""
    shas = ["" if item.error else hashlib.sha256(item.raw).hexdigest() for item, _ in chunk]
    pages = RawPage.objects.filter(sha256__in=set(shas) - {""})
    stored = dict(pages.values_list("sha256", "pk"))
    articles = dict(
        Article.objects.filter(raw_page_id__in=stored.values()).values_list("raw_page_id", "pk")
    )
    planned = []
    for (item, cleaned), sha in zip(chunk, shas, strict=True):
        state: ItemResult | CleanArticle
        if item.error:
            state = ItemResult(item.name, Outcome.FAILED, item.error)
        elif sha in stored:
            state = result_already(item.name, articles.get(stored[sha]))
        else:
            state = item_checked(item, default_year=default_year, cleaned=cleaned)
        text = state.fingerprint if isinstance(state, CleanArticle) else ""
        planned.append(_Planned(item, cleaned, sha, state, text))
    return planned


def _resolved(planned: list[_Planned], seen: dict[str, str]) -> tuple[list[_Slot], list[_Stored]]:
    """Decide in input order what the per-item path would: the bytes or the text of an item
    stored earlier in this chunk, of a stored article (one query), of an item of the run.
    Returns each item's slot and the items to store (their texts are in `seen` now)."""
    texts = {p.text for p in planned if p.text}
    stored = dict(Article.objects.filter(fingerprint__in=texts).values_list("fingerprint", "pk"))
    slots: list[_Slot] = []
    new: list[_Stored] = []
    by_sha: dict[str, _Stored] = {}
    by_text: dict[str, _Stored] = {}
    for p in planned:
        slot: _Slot
        if p.sha in by_sha:  # the per-item path looks at the bytes before the cleaner's result
            slot = _Copy(p.item.name, by_sha[p.sha], None)
        elif isinstance(p.state, ItemResult):
            slot = p.state
        elif p.text in by_text:
            slot = _Copy(p.item.name, by_text[p.text], p.state)
        else:
            duplicate = result_duplicate(
                p.item.name, p.state, p.text, existing=stored.get(p.text), seen=seen
            )
            if duplicate is None:
                slot = by_sha[p.sha] = by_text[p.text] = _Stored(p.item, p.sha, p.state, p.text)
                new.append(slot)
            else:
                slot = duplicate
        slots.append(slot)
    return slots, new


def _inserted(new: list[_Stored], *, batch: ImportBatch, related: RelatedRows) -> list[int]:
    """Store the raw pages, then their articles, history records and index queue rows, as
    article_create and Article.save() do, in a few queries. Returns the articles' ids."""
    if not new:
        return []
    pages = RawPage.objects.bulk_create(
        [
            RawPage(
                sha256=s.sha,
                content=s.item.raw,
                filename=s.item.name[:500],
                encoding=s.clean.encoding,
                size=len(s.item.raw),
                batch=batch,
            )
            for s in new
        ]
    )
    articles = []
    for s, page in zip(new, pages, strict=True):
        article = Article(raw_page=page, import_batch=batch)
        article_apply_clean(article=article, clean=s.clean, related=related, fingerprint=s.text)
        articles.append(article)
    Article.objects.bulk_create(articles)  # ids come back (PostgreSQL, SQLite ≥ 3.35)
    # The "+" record a save() makes: the same fields, no change reason, its user: whoever
    # ran the batch (the editor who confirmed an upload), else the request's, if any.
    Article.history.bulk_history_create(
        articles, default_change_reason=None, default_user=batch.created_by
    )
    ids = [article.pk for article in articles]
    indexing.queue_articles(ids)  # what search.signals does on each save, in this transaction
    return ids


def _redone(
    p: _Planned, *, default_year: int | None, batch: ImportBatch, seen: dict[str, str]
) -> ItemResult:
    """The per-item path's result, after the chunk was rolled back: the database changed.
    What the cleaner made of the item is reused (a failed read fails again at once)."""
    cleaned = p.state.clean if isinstance(p.state, ItemResult) else p.state
    return item_store(
        p.item, default_year=default_year, batch=batch, seen=seen, cleaned=cleaned or p.cleaned
    )
