"""The search engines behind one protocol, and the one chooser.

Code outside this package asks get_engine() for the engine of the default Haystack
connection and calls only the Engine protocol: the Whoosh engine (search/engine/whoosh/) or
a search server (search/engine/elasticsearch/). Neutral data crosses the seam
(search/engine/types.py): Filters, a sort name, RawResult.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from search.engine.types import Filters, RawResult, Sort
from search.querysyntax import ParsedQuery


class Engine(Protocol):
    def writer_turn(self, *, wait: bool) -> AbstractContextManager[bool]:
        """Hold the writers' turn: True when held, False when not waiting and another writer
        has it. Raises TurnTimeout when waiting too long."""

    def write(self, batches: Iterable[list[int]], *, clear: bool = False) -> None:
        """Write the current state of these articles (published ones (re)indexed, the
        others deleted). clear: remove every other document too (a rebuild)."""

    def search(
        self, parsed: ParsedQuery, filters: Filters, *, sort: Sort, offset: int, limit: int
    ) -> RawResult:
        """The match count, one page of article ids and the facet counts of a search."""

    def generation(self) -> int | None:
        """A number that changes whenever the index does (results may be cached under it),
        or None when the engine cannot tell (nothing may be cached)."""

    def indexed_digests(self) -> dict[int, list[int | None]]:
        """Article id → the content digest of each of its documents (search_check)."""


def get_engine() -> Engine:
    """The engine of the default Haystack connection (set up on first use)."""
    from haystack import connections

    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    engine: Engine = backend.search_engine()
    return engine


def article_index() -> Any:
    """The Haystack index of articles (what engines prepare documents with)."""
    from haystack import connections

    from articles.models import Article

    return connections["default"].get_unified_index().get_index(Article)


def ident(pk: int) -> str:
    """An article's document id in every engine: 7 → "articles.article.7"."""
    return f"articles.article.{pk}"


class TurnTimeout(Exception):
    """Another writer kept the index for longer than the engine waits."""
