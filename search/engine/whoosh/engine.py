"""The Engine protocol on our Whoosh index: the writers' turn (a flock beside Whoosh's lock),
writes of prepared documents through index.write_batches(), searches through index.run(),
and the digests search_check compares."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.encoding import force_str

from search import querysyntax
from search.engine import TurnTimeout, article_index, ident
from search.engine.types import Filters, RawResult, Sort
from search.engine.whoosh import index, queries


class WhooshEngine:
    def __init__(self, state: index.IndexState) -> None:
        self.state = state

    @contextlib.contextmanager
    def writer_turn(self, *, wait: bool) -> Iterator[bool]:
        """A flock beside Whoosh's own, taken before the queue and the articles are read and
        kept until the write has committed, so of two writers of one article the later one
        always writes the later state. Not waiting also yields False while anyone else
        (Haystack's update_index) holds Whoosh's lock, instead of waiting up to 60 s."""
        lock = self.state.index.lock("INDEXING")
        deadline = time.monotonic() + (index.WRITE_TIMEOUT if wait else 0)
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                if not wait:
                    yield False
                    return
                raise TurnTimeout(f"search index busy for {index.WRITE_TIMEOUT:.0f} s")
            time.sleep(0.05)
        try:
            yield wait or not index.busy(self.state)
        finally:
            lock.release()

    def write(self, batches: Iterable[list[int]], *, clear: bool = False) -> None:
        index.write_batches(self.state, (prepare(ids) for ids in batches), clear=clear)

    def search(
        self,
        parsed: querysyntax.ParsedQuery,
        filters: Filters,
        *,
        sort: Sort,
        offset: int,
        limit: int,
    ) -> RawResult:
        return index.run(
            self.state,
            match=queries.match_query(parsed, "text"),
            scored=queries.scored_query(parsed, "text", "title"),
            filters=filters,
            sort=sort,
            offset=offset,
            limit=limit,
        )

    def generation(self) -> int | None:
        return self.state.current_generation()

    def indexed_digests(self) -> dict[int, list[int | None]]:
        return index.indexed_digests(self.state)


def prepare(ids: Iterable[int]) -> tuple[list[str], list[dict[str, Any]]]:
    """(ids to delete, documents to add) for one batch: delete all, add the published."""
    ids = sorted({int(i) for i in ids})
    articles = article_index()
    queryset = articles.index_queryset().filter(pk__in=ids) if ids else []
    docs = [whoosh_document(articles.full_prepare(obj)) for obj in queryset]
    return [ident(i) for i in ids], docs


def whoosh_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A prepared Haystack document as Whoosh wants it: lists comma-joined, dates as
    datetimes, empty values left out.

    {"year": "2021", "authors": ["罗子泓"], "district": None} → {"year": "2021", "authors": "罗子泓"}
    """
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if value is None or value == "" or value == []:
            continue
        if key == "boost":
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(force_str(v).replace(",", " ") for v in value)
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        elif not isinstance(value, (int, float, dt.datetime)):
            value = force_str(value)
        out[key] = value
    return out
