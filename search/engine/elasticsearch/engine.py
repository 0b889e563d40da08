"""The Engine protocol on a search server (Elasticsearch behind SEARCH_URL): writes go through
the Haystack backend's update() and remove(), searches are one request (query.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from search.engine import article_index, ident
from search.engine.elasticsearch import query
from search.engine.types import Filters, RawResult, Sort
from search.querysyntax import ParsedQuery


class ElasticsearchEngine:
    def __init__(self, backend: Any) -> None:
        self.backend = backend

    @contextlib.contextmanager
    def writer_turn(self, *, wait: bool) -> Iterator[bool]:
        yield True  # a search server orders its own writes

    def write(self, batches: Iterable[list[int]], *, clear: bool = False) -> None:
        if clear:  # a search server has no one-commit swap: empty it, then fill it
            self.backend.clear()
        index = article_index()
        for chunk in batches:
            published = list(index.index_queryset().filter(pk__in=chunk))
            for pk in sorted(set(chunk) - {obj.pk for obj in published}):
                self.backend.remove(ident(pk))
            if published:
                self.backend.update(index, published)

    def search(
        self, parsed: ParsedQuery, filters: Filters, *, sort: Sort, offset: int, limit: int
    ) -> RawResult:
        body = query.request_body(parsed, filters, sort=sort, offset=offset, limit=limit)
        return query.run(self.backend, body)

    def generation(self) -> int | None:
        return None  # other processes write to the server unseen: cache nothing

    def indexed_digests(self) -> dict[int, list[int | None]]:
        raise NotImplementedError("search_check reads a Whoosh index only")
