"""One open Whoosh index per path and process (IndexState): the shared searcher, refreshed
after any commit; per searcher the facet columns, live documents and sort keys; the search
core (run) and the one locked writer path (write_batches)."""

from __future__ import annotations

import itertools
import os
import pickle
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.query import DateRange, Every, Or, Query, Term
from whoosh.searching import Searcher
from whoosh.writing import MERGE_SMALL

from search.engine.types import FACETS, Filters, RawResult, order_range
from search.engine.whoosh import postings
from search.engine.whoosh.codec import CompactCodec
from search.engine.whoosh.segment_writer import ParallelWriter

MATCH_CACHE_SIZE = 32  # match sets kept per searcher (browse pages, paging through results)
MATCH_CACHE_MAX_DOCS = 200_000
_STATES: dict[str, IndexState] = {}
_STATES_LOCK = threading.Lock()
_GENERATIONS = itertools.count(1)


@dataclass
class _Facet:
    values: list[str]  # value number → value
    numbers: dict[str, int]  # value → value number
    column: np.ndarray  # docnum → value number, -1 for none (int32)


@dataclass
class _Arrays:
    facets: dict[str, _Facet]
    live: np.ndarray  # docnum → not deleted (bool)
    evaluator: postings.Evaluator  # posting lists and field lengths of this searcher
    order: np.ndarray | None = None  # docnum → sort key (int64)


_Matches = tuple[np.ndarray, dict[str, Counter[str]], np.ndarray | None]


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
        self.generation = 0
        self._arrays: _Arrays | None = None
        # (query, filters) → (matched docnums, facet counts, scores), for the current searcher.
        self.matches: OrderedDict[str, _Matches] = OrderedDict()

    def searcher(self) -> Searcher:
        """The shared searcher, refreshed when the index changed since it was opened."""
        with self.lock:
            if self._searcher is None:
                self._searcher = self.index.searcher()
                self.generation = next(_GENERATIONS)
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self.generation = next(_GENERATIONS)
                self._arrays = None
                self.matches.clear()
            return self._searcher

    def current_generation(self) -> int:
        """A number unique to the searcher a search would use now, across all states: results
        cached under it stay valid until the index changes."""
        with self.lock:
            self.searcher()
            return self.generation

    def arrays(self, searcher: Searcher) -> _Arrays:
        if self._arrays is None:
            reader = searcher.reader()
            live = np.ones(reader.doc_count_all(), dtype=bool)
            if reader.has_deletions():
                live[:] = False
                live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
            facets = {f: _facet_column(reader, f) for f in FACETS}
            self._arrays = _Arrays(facets, live, postings.Evaluator(searcher))
        return self._arrays

    def order(self, searcher: Searcher) -> np.ndarray:
        arrays = self.arrays(searcher)
        if arrays.order is None:
            reader = searcher.reader()
            if reader.has_column("order"):
                parts = [_order_column(leaf) for leaf, _ in reader.leaf_readers()]
                arrays.order = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            else:
                arrays.order = np.zeros(reader.doc_count_all(), dtype=np.int64)
        return arrays.order

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._arrays = None
            self.matches.clear()


def _facet_column(reader: Any, fieldname: str) -> _Facet:
    values: list[str] = []
    column = np.full(reader.doc_count_all(), -1, dtype=np.int32)
    if fieldname in reader.schema:
        leaves = list(reader.leaf_readers())
        for number, term in enumerate(reader.lexicon(fieldname)):
            value = term.decode("utf-8")
            values.append(value)
            for leaf, base in leaves:
                column[postings.leaf_docs(leaf, fieldname, value) + base] = number
    return _Facet(values, {v: n for n, v in enumerate(values)}, column)


def _order_column(leaf: Any) -> np.ndarray:
    """One segment's sort keys. Whoosh stores a signed 64-bit NUMERIC shifted by 2**63 as an
    unsigned column; read raw in one go and shifted back, checked against Whoosh's own
    translation on a few documents (else read through Whoosh, one document at a time)."""
    count = leaf.doc_count_all()
    translated = leaf.column_reader("order")
    raw = postings.numeric_column(leaf.column_reader("order", translate=False), count)
    if raw is not None and raw.dtype == np.uint64:
        keys = (raw ^ np.uint64(1 << 63)).view(np.int64)
        probes = sorted({0, count // 2, count - 1}) if count else []
        if all(int(keys[i]) == translated[i] for i in probes):
            return keys
    return np.array(list(translated), dtype=np.int64)


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
    filters: Filters,
    sort: str,
    offset: int,
    limit: int,
    facets: tuple[str, ...] = FACETS,
) -> RawResult:
    """Match set, facet counts over all of it, and one page of Django ids.

    match None means every document (browsing). sort: relevance (needs scored), newest, oldest.
    """
    relevance = sort == "relevance" and scored is not None
    with state.lock:
        searcher = state.searcher()
        matched, counts, scores = _matches(
            state, searcher, scored if relevance else match, filters, facets
        )
        if relevance and scores is not None:
            docnums = postings.ranked(matched, scores, offset + limit)[offset:].tolist()
        else:
            docnums = _top_sorted(state.order(searcher), matched, offset + limit, sort)[offset:]
        ids = [int(searcher.stored_fields(d)["django_id"]) for d in docnums]
    return RawResult(total=len(matched), django_ids=ids, facets=counts)


def _top_sorted(order: np.ndarray, matched: np.ndarray, top: int, sort: str) -> list[int]:
    """The first `top` docnums of matched by sort key: newest (largest) or oldest first."""
    top = min(top, len(matched))
    if top <= 0:
        return []
    keys = order[matched] if sort == "oldest" else -order[matched]
    whole = top == len(keys)
    part = np.arange(len(keys)) if whole else np.argpartition(keys, top - 1)[:top]
    part = part[np.argsort(keys[part], kind="stable")]
    return [int(d) for d in matched[part]]


def _matches(
    state: IndexState,
    searcher: Searcher,
    query: Query | None,
    filters: Filters,
    facets: tuple[str, ...],
) -> tuple[np.ndarray, dict[str, Counter[str]], np.ndarray | None]:
    """Every matching docnum (ascending), the facet counts over them and each one's score
    (None when browsing), cached per searcher.

    The query is evaluated on whole posting lists (postings.py). Filters on a facet
    field (district, source, year, month) are read from the facet arrays, date ranges from
    the sort keys; any other goes through Whoosh.
    """
    cache_key = repr((query, filters, facets))
    cached = state.matches.get(cache_key)
    if cached is not None:
        state.matches.move_to_end(cache_key)
        return cached
    arrays = state.arrays(searcher)
    mask = _filter_mask(state, searcher, filters)
    scores = None
    if query is None:
        matched = np.flatnonzero(mask)
    else:
        # Filtered: phrases need not check positions in documents the filters leave out.
        found = arrays.evaluator.evaluate(query, mask if filters else None)
        keep = mask[found.docs]
        matched, scores = found.docs[keep], found.scores[keep]
    matched = matched.astype(np.int32)
    result = matched, _count_facets(arrays, matched, facets), scores
    if len(matched) <= MATCH_CACHE_MAX_DOCS:
        state.matches[cache_key] = result
        while len(state.matches) > MATCH_CACHE_SIZE:
            state.matches.popitem(last=False)
    return result


def _filter_mask(state: IndexState, searcher: Searcher, filters: Filters) -> np.ndarray:
    """The live documents that pass the filters.

    Facet values from the facet columns; the date range from the sort keys (order_range):
    Whoosh matches a range of the published field as the union of many numeric trie terms,
    9 s for ten years at 100k. A bound inside a minute (never made by whole_days) goes through
    Whoosh's DateRange."""
    arrays = state.arrays(searcher)
    mask = arrays.live
    for name, value in filters.exact().items():
        facet = arrays.facets[name]
        mask = mask & (facet.column == facet.numbers.get(value, -2))
    dates = filters.published
    if dates is None:
        return mask
    bounds = order_range(*dates)
    if bounds is None:
        allowed = np.zeros(len(mask), dtype=bool)
        docs = searcher.docs_for_query(DateRange("published", *dates))
        allowed[np.fromiter(docs, dtype=np.int64)] = True
        return mask & allowed
    order = state.order(searcher)
    return mask & (order >= bounds[0]) & (order <= bounds[1])


def _count_facets(
    arrays: _Arrays, matched: np.ndarray, names: tuple[str, ...]
) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for name in names:
        facet = arrays.facets[name]
        numbers = np.bincount(facet.column[matched] + 1, minlength=len(facet.values) + 1)
        found = np.flatnonzero(numbers[1:])
        counts[name] = Counter({facet.values[n]: int(numbers[n + 1]) for n in found})
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


PARALLEL_MIN_BATCHES = 2  # writes of more batches than this index in worker processes
WRITER_PROCS = max(1, min(4, os.cpu_count() or 1))


def write_batches(
    state: IndexState,
    batches: Iterable[tuple[list[str], list[dict[str, Any]]]],
    *,
    clear: bool = False,
) -> None:
    """One writer for many (delete_ids, docs) batches, one commit at the end (rebuilds).

    clear: delete every document first, in the same commit, so searches see the old index
    until the new one is complete. Other writers wait for the lock meanwhile.
    Large writes (more than PARALLEL_MIN_BATCHES batches: imports, rebuilds) from a
    single-threaded process analyze and index in WRITER_PROCS worker processes
    (segment_writer.ParallelWriter; each writes segments of its own, kept as they
    are); this process deletes and hands out the documents. Every commit drops the segments
    left without a live document.
    """
    batches = iter(batches)
    head = list(itertools.islice(batches, PARALLEL_MIN_BATCHES + 1))
    # Whoosh forks its workers: only from a single-threaded process (a thread holding a lock
    # at fork time could deadlock the child), e.g. manage.py import_articles or rebuild.
    single = threading.active_count() == 1
    procs = WRITER_PROCS if single and len(head) > PARALLEL_MIN_BATCHES else 0
    with _WRITE_LOCK:
        writer = _writer(state, procs)
        try:
            if clear:
                writer.delete_by_query(Every())
            for delete_ids, docs in itertools.chain(head, batches):
                if delete_ids and not clear:
                    # One searcher for the whole batch; delete_by_term opens one per id.
                    writer.delete_by_query(Or([Term("id", i) for i in delete_ids]))
                for doc in docs:
                    writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_live)


def busy(state: IndexState) -> bool:
    """Whoosh's own write lock is taken (by a writer in this process, or by a writer not
    going through write_batches() in any process)."""
    if _WRITE_LOCK.locked():
        return True
    lock = state.index.lock("WRITELOCK")
    if not lock.acquire(blocking=False):
        return True
    lock.release()
    return False


def clear(state: IndexState) -> None:
    """Delete every document, in one commit."""
    write_batches(state, [], clear=True)


def indexed_digests(state: IndexState) -> dict[int, list[int | None]]:
    """Article id → the digests of its documents in the index (two: a duplicate). Read per
    segment: a segment written before the digest field existed has no column (None)."""
    found: dict[int, list[int | None]] = {}
    with state.lock:
        reader = state.searcher().reader()
        for segment, _offset in reader.leaf_readers():
            column = segment.column_reader("digest") if segment.has_column("digest") else None
            for docnum in segment.all_doc_ids():
                pk = int(segment.stored_fields(docnum)["django_id"])
                found.setdefault(pk, []).append(None if column is None else column[docnum])
    return found


def _merge_live(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh's MERGE_SMALL after dropping segments with no live document: MERGE_SMALL
    counts deleted documents too, so a rebuild kept the whole old index, deleted, forever."""
    return MERGE_SMALL(writer, [s for s in segments if s.doc_count() > 0])


def _writer(state: IndexState, procs: int) -> Any:
    """A Whoosh writer that leaves plain segment files, not one compound file: Whoosh reads a
    compound segment by copying each of its parts into a BytesIO, so every searcher held the
    whole index in private memory (400 MB per worker at 20k articles); plain files are read
    through the page cache, shared by all workers. New segments use the compact posting
    blocks of codec.py. procs: 0 for Whoosh's writer in this process, else that many
    worker processes."""
    options: dict[str, Any] = {
        "timeout": WRITE_TIMEOUT,
        "delay": 0.05,
        "compound": False,
        "codec": CompactCodec(),
    }
    if not procs:
        return state.index.writer(limitmb=256, **options)
    _save_schema(state, options)
    subargs = {"limitmb": 128, "compound": False, "codec": CompactCodec()}
    return ParallelWriter(state.index, procs=procs, batchsize=250, subargs=subargs, **options)


def _save_schema(state: IndexState, options: dict[str, Any]) -> None:
    """Whoosh's worker processes (MpWriter) open the index with the schema saved in its
    table of contents, not ours: after a schema change (the sort key made column-only) a
    parallel rebuild wrote the old schema's terms. An empty commit first saves ours."""
    saved = FileStorage(state.path).open_index().schema
    if _fields(saved) != _fields(state.schema):
        state.index.writer(**options).commit(merge=False)


def _fields(schema: Any) -> list[tuple[str, bytes]]:
    """A schema as comparable data: Whoosh's Schema == compares analyzers by identity."""
    return [(name, pickle.dumps(field)) for name, field in schema.items()]
