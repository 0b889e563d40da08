"""One open Whoosh index per process: the shared searcher, facet arrays and the search core.

Haystack opens two new searchers per query (about 56 ms each) and loads the stored fields of
every hit to count facets. Here each index path gets one IndexState per process:
- one searcher, reused across requests; before each search a cheap generation check
  (`up_to_date()` lists the index directory) refreshes it after any commit, ours or another
  process's;
- per searcher, facet values as arrays (docnum → value number), built from the postings of the
  few district/source/year/month terms, so counting the whole match set never touches stored
  fields; and the sort key of every document read once from its numeric column;
- one lock per state: Whoosh's file readers are not safe for concurrent use from threads.
"""

from __future__ import annotations

import heapq
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.query import And, Every, Or, Query, Term
from whoosh.searching import Searcher

FACET_FIELDS = ("district", "source", "year", "month")
MATCH_CACHE_SIZE = 32  # match sets kept per searcher (browse pages, paging through results)
MATCH_CACHE_MAX_DOCS = 200_000
_STATES: dict[str, IndexState] = {}
_STATES_LOCK = threading.Lock()


@dataclass
class RawResult:
    total: int
    django_ids: list[int]
    facets: dict[str, Counter[str]] = field(default_factory=dict)


@dataclass
class _Arrays:
    facets: dict[str, tuple[list[str], list[int]]]
    order: list[int] | None = None


class IndexState:
    """The open index at one path, its shared searcher and the per-searcher arrays."""

    def __init__(self, path: str, schema: Any) -> None:
        self.path = path
        self.schema = schema
        self.lock = threading.RLock()
        storage = FileStorage(path).create()
        if whoosh_index.exists_in(path):
            self.index = storage.open_index(schema=schema)
        else:
            self.index = storage.create_index(schema)
        self._searcher: Searcher | None = None
        self._arrays: _Arrays | None = None
        # (query, filters) → (matched docnums, facet counts), valid for the current searcher.
        self.matches: OrderedDict[str, tuple[list[int], dict[str, Counter[str]]]] = OrderedDict()

    def searcher(self) -> Searcher:
        """The shared searcher, refreshed when the index changed since it was opened."""
        with self.lock:
            if self._searcher is None:
                self._searcher = self.index.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self._arrays = None
                self.matches.clear()
            return self._searcher

    def arrays(self, searcher: Searcher) -> _Arrays:
        if self._arrays is None:
            reader = searcher.reader()
            self._arrays = _Arrays({f: _facet_column(reader, f) for f in FACET_FIELDS})
        return self._arrays

    def order(self, searcher: Searcher) -> list[int]:
        arrays = self.arrays(searcher)
        if arrays.order is None:
            reader = searcher.reader()
            if reader.has_column("order"):
                arrays.order = list(reader.column_reader("order"))
            else:
                arrays.order = [0] * reader.doc_count_all()
        return arrays.order

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._arrays = None
            self.matches.clear()


def _facet_column(reader: Any, fieldname: str) -> tuple[list[str], list[int]]:
    values: list[str] = []
    column = [-1] * reader.doc_count_all()
    if fieldname not in reader.schema:
        return values, column
    for number, term in enumerate(reader.lexicon(fieldname)):
        value = term.decode("utf-8")
        values.append(value)
        for docnum in reader.postings(fieldname, value).all_ids():
            column[docnum] = number
    return values, column


def get_state(path: str, schema: Any) -> IndexState:
    """The process-wide state for an index path (opened, or created empty, on first use)."""
    with _STATES_LOCK:
        state = _STATES.get(path)
        if state is None:
            state = _STATES[path] = IndexState(path, schema)
        return state


def forget_state(path: str | None = None) -> None:
    """Close and drop cached states (tests pointing the index at a new directory)."""
    with _STATES_LOCK:
        for key in [path] if path else list(_STATES):
            state = _STATES.pop(key, None)
            if state is not None:
                state.close()


def run(
    state: IndexState,
    *,
    match: Query | None,
    scored: Query | None,
    filters: list[Query],
    sort: str,
    offset: int,
    limit: int,
    facets: tuple[str, ...] = FACET_FIELDS,
) -> RawResult:
    """Match set, facet counts over all of it, and one page of Django ids.

    match None means every document (browsing). sort: relevance (needs scored), newest, oldest.
    """
    with state.lock:
        searcher = state.searcher()
        matched, counts = _matches(state, searcher, match, filters, facets)
        if sort == "relevance" and scored is not None:
            allowed = set(matched) if filters else None
            docnums = _top_scored(searcher, scored, allowed, offset + limit)[offset:]
        else:
            key = state.order(searcher)
            pick = heapq.nsmallest if sort == "oldest" else heapq.nlargest
            docnums = pick(offset + limit, matched, key=key.__getitem__)[offset:]
        ids = [int(searcher.stored_fields(d)["django_id"]) for d in docnums]
    return RawResult(total=len(matched), django_ids=ids, facets=counts)


def _matches(
    state: IndexState,
    searcher: Searcher,
    match: Query | None,
    filters: list[Query],
    facets: tuple[str, ...],
) -> tuple[list[int], dict[str, Counter[str]]]:
    """Every matching docnum and the facet counts over them, cached per searcher."""
    cache_key = repr((match, filters, facets))
    cached = state.matches.get(cache_key)
    if cached is not None:
        state.matches.move_to_end(cache_key)
        return cached
    parts = [q for q in [match, *filters] if q is not None]
    if not parts:
        matched = list(searcher.reader().all_doc_ids())
    else:
        query = And(parts) if len(parts) > 1 else parts[0]
        matched = list(searcher.docs_for_query(query))
    result = matched, _count_facets(state.arrays(searcher), matched, facets)
    if len(matched) <= MATCH_CACHE_MAX_DOCS:
        state.matches[cache_key] = result
        while len(state.matches) > MATCH_CACHE_SIZE:
            state.matches.popitem(last=False)
    return result


def _top_scored(searcher: Searcher, scored: Query, allowed: set[int] | None, top: int) -> list[int]:
    """The best `top` docnums; without a filter Whoosh can skip low-scoring blocks."""
    if top <= 0 or allowed == set():
        return []
    results = searcher.search(scored, filter=allowed, limit=top)
    return [results.docnum(i) for i in range(min(top, results.scored_length()))]


def _count_facets(
    arrays: _Arrays, matched: list[int], names: tuple[str, ...]
) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for name in names:
        values, column = arrays.facets[name]
        numbers = Counter(column[d] for d in matched)
        counts[name] = Counter({values[n]: c for n, c in numbers.items() if n >= 0})
    return counts


_WRITE_LOCK = threading.Lock()  # one writer per process; the file lock orders processes
WRITE_TIMEOUT = 60.0


def write(state: IndexState, *, delete_ids: list[str], docs: list[dict[str, Any]]) -> None:
    """Delete the given unique ids and add the documents, in one commit.

    Waits for Whoosh's file lock (another process writing) up to WRITE_TIMEOUT seconds, then
    raises LockError: a failed write is never silent.
    """
    if not delete_ids and not docs:
        return
    write_batches(state, [(delete_ids, docs)])


def write_batches(
    state: IndexState,
    batches: Iterable[tuple[list[str], list[dict[str, Any]]]],
    *,
    clear: bool = False,
) -> None:
    """One writer for many (delete_ids, docs) batches, one commit at the end (rebuilds).

    clear: delete every document first, in the same commit, so searches see the old index
    until the new one is complete. Other writers wait for the lock meanwhile.
    """
    with _WRITE_LOCK:
        writer = state.index.writer(timeout=WRITE_TIMEOUT, delay=0.05, limitmb=256)
        try:
            if clear:
                writer.delete_by_query(Every())
            for delete_ids, docs in batches:
                if delete_ids and not clear:
                    # One searcher for the whole batch; delete_by_term opens one per id.
                    writer.delete_by_query(Or([Term("id", i) for i in delete_ids]))
                for doc in docs:
                    writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
