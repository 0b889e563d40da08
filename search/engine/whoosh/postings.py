"""Queries evaluated on whole posting lists with numpy: the match set and Whoosh's BM25F
scores, equal to Whoosh's own (whoosh_equivalent() where grams are read), with exclusion as
a set difference. Posting lists and field lengths are cached per searcher."""

from __future__ import annotations

import functools
import itertools
import threading
import zlib
from dataclasses import dataclass
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, Or, Phrase, Query, Term
from whoosh.util.numeric import byte_to_length

from search.analysis import gram_cover, gram_marker
from search.engine.whoosh import phrases, whoosh_private
from search.engine.whoosh.codec import Block, CompactLeafMatcher
from search.engine.whoosh.lru import SizedLru
from search.engine.whoosh.phrases import any_within, between, rows_of

B = 0.75  # Whoosh's BM25F defaults (whoosh.scoring.BM25F), the weighting our searcher uses
K1 = 1.2
_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
_PROTO = b"\x80\x02"  # pickle protocol 2's opening, as Whoosh's Positions format writes it
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
TERM_CACHE_SIZE = 4096  # posting lists (documents and weights, per segment) kept per process
TERM_CACHE_MAX_POSTINGS = 2_000_000  # 32 MB of arrays at most


@dataclass
class Postings:
    docs: np.ndarray  # global docnums, ascending (int64)
    weights: np.ndarray  # term frequency × field boost, per document (float64)
    counts: np.ndarray | None = None  # positions per document (phrases only)
    positions: np.ndarray | None = None  # every document's positions, one after the other


@dataclass
class Result:
    docs: np.ndarray  # ascending global docnums (int64)
    scores: np.ndarray  # per document (float64)


class Evaluator:
    """One searcher's view: its segments, field lengths (cached as long as the searcher)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.leaves = list(searcher.reader().leaf_readers())
        self.doc_count = searcher.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._grams: dict[str, bool] = {}
        self.lock = threading.Lock()

    # --- the query tree ---------------------------------------------------------------------

    def evaluate(self, query: Query, within: np.ndarray | None = None) -> Result:
        """The query's documents and scores. within (a boolean array over docnums): only
        these documents are wanted; phrases then check positions only for them, and the
        result may leave out others (the scores of those in it are the same)."""
        with self.lock:
            return self._eval(query, within)

    def _eval(self, query: Query, within: np.ndarray | None = None) -> Result:
        if isinstance(query, Term):
            result = self._term(query.fieldname, query.text)
        elif isinstance(query, Phrase):
            result = self._phrase(query.fieldname, list(query.words), within)
        elif isinstance(query, And):
            result = self._and(query.subqueries, within)
        elif isinstance(query, Or):
            result = _union([self._eval(q, within) for q in query.subqueries])
        elif isinstance(query, AndNot):
            kept = self._eval(query.a, within)
            excluded = self._eval(query.b, self._within(kept.docs, within)).docs
            result = _without(kept, excluded)
        elif isinstance(query, AndMaybe):
            kept = self._eval(query.a, within)
            result = _maybe(kept, self._eval(query.b, self._within(kept.docs, within)))
        elif isinstance(query, Every):
            result = Result(np.arange(self.doc_count, dtype=np.int64), np.zeros(self.doc_count))
        else:  # ranges and the rest: Whoosh matches them; a constant score, as in Whoosh
            docs = np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64)
            docs.sort()
            result = Result(docs, np.ones(len(docs)))
        boost = getattr(query, "boost", 1.0)
        if boost != 1.0 and len(result.scores):
            result = Result(result.docs, result.scores * boost)
        return result

    def _and(self, subqueries: list[Query], within: np.ndarray | None) -> Result:
        """The parts without phrases first (their lists are cheap); each part with phrases
        then only within the documents of all before it."""
        results: dict[int, Result] = {}
        costly = [i for i, q in enumerate(subqueries) if _has_phrase(q)]
        for i, q in enumerate(subqueries):
            if i not in costly:
                results[i] = self._eval(q, within)
        for i in costly:
            if results:
                within = self._within(_common_docs(list(results.values())), within)
            results[i] = self._eval(subqueries[i], within)
        return _intersect([results[i] for i in range(len(subqueries))])

    def _within(self, docs: np.ndarray, within: np.ndarray | None) -> np.ndarray:
        mask = np.zeros(self.doc_count, dtype=bool)
        mask[docs] = True
        return mask if within is None else mask & within

    def _term(self, fieldname: str, text: str) -> Result:
        postings = self.postings(fieldname, text)
        return Result(postings.docs, self._bm25(fieldname, text, postings.docs, postings.weights))

    def _phrase(self, fieldname: str, words: list[str], within: np.ndarray | None = None) -> Result:
        if len(words) == 1:
            return self._term(fieldname, words[0])
        cover = gram_cover(words) if self.has_grams(fieldname) else None
        if cover is None:
            return self._terms_in_row(fieldname, words, list(range(len(words))), within)
        terms, offsets = [t for t, _ in cover], [o for _, o in cover]
        if len(terms) == 1:  # two common words: their gram is the phrase
            return self._term(fieldname, terms[0])
        return self._terms_in_row(fieldname, terms, offsets, within)

    def has_grams(self, fieldname: str) -> bool:
        """Whether every document with tokens in the field was indexed with this word list's
        grams (it holds the marker term): the same count as its non-zero field lengths."""
        found = self._grams.get(fieldname)
        if found is None:
            marked = self.searcher.doc_frequency(fieldname, gram_marker())
            found = marked > 0 and marked == int(np.count_nonzero(self.lengths(fieldname)))
            self._grams[fieldname] = found
        return found

    def _terms_in_row(
        self, fieldname: str, words: list[str], offsets: list[int], within: np.ndarray | None
    ) -> Result:
        """Documents where each of words stands at its offset from the phrase's start."""
        # The rarest word's documents are the first candidates. Words whose documents are
        # cached (a common word, seen before) narrow them at no cost; then, per segment,
        # phrases.py reads each word's positions, rarest first, only from its blocks
        # that hold a document still in play, so a phrase with 的 reads the few blocks of 的
        # its other words point to.
        frequency = {w: self.searcher.doc_frequency(fieldname, w) for w in words}
        order = sorted(range(len(words)), key=lambda i: frequency[words[i]])
        candidates = self.postings(fieldname, words[order[0]]).docs
        if within is not None:
            candidates = candidates[within[candidates]]
        for i in order[1:]:
            docs = self.cached_docs(fieldname, words[i])
            if docs is not None and len(candidates):
                candidates = common(candidates, docs)
        found: list[np.ndarray] = []
        weights: list[list[np.ndarray]] = [[] for _ in words]
        for leaf, base in self.leaves:
            local = between(candidates, base, base + leaf.doc_count_all() - 1) - base
            if not len(local):
                continue
            read = functools.partial(_phrase_blocks, leaf, fieldname, words)
            docs, leaf_weights = phrases.match(read, order, local, offsets)
            if len(docs):
                found.append(docs + base)
                for i, w in enumerate(leaf_weights):
                    weights[i].append(w)
        if not found:
            return Result(_EMPTY_DOCS, _EMPTY_SCORES)
        docs = np.concatenate(found)
        scores = np.zeros(len(docs))
        for word, parts in zip(words, weights, strict=True):
            scores += self._bm25(fieldname, word, docs, np.concatenate(parts))
        return Result(docs, scores)

    # --- scoring ----------------------------------------------------------------------------

    def _bm25(self, fieldname: str, text: str, docs: np.ndarray, weights: np.ndarray) -> Any:
        """whoosh.scoring.bm25 on every document at once, with the searcher's idf and mean
        field length and the quantized field length of each document."""
        if not len(docs):
            return _EMPTY_SCORES
        idf = self.searcher.idf(fieldname, text)
        mean = self.searcher.avg_field_length(fieldname) or 1
        lengths = self.lengths(fieldname)[docs]
        return idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / mean))

    def lengths(self, fieldname: str) -> np.ndarray:
        """docnum → the field's length as Whoosh stores it (one byte, logarithmic)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            parts = [_leaf_lengths(leaf, fieldname) for leaf, _ in self.leaves]
            lengths = np.concatenate(parts) if parts else np.zeros(0)
            self._lengths[fieldname] = lengths
        return lengths

    # --- posting lists ----------------------------------------------------------------------

    def postings(self, fieldname: str, text: str) -> Postings:
        """A term's documents and weights over all segments (cached per segment)."""
        parts = []
        for leaf, base in self.leaves:
            found = _segment_postings(leaf, fieldname, text)
            if found is not None:
                parts.append(Postings(found.docs + base, found.weights))
        return _joined(parts, values=False)

    def cached_docs(self, fieldname: str, text: str) -> np.ndarray | None:
        """A term's documents when every segment's list of them is in the cache, else None."""
        parts = []
        for leaf, base in self.leaves:
            key = _segment_key(leaf, fieldname, text)
            if key is None:
                return None
            found = _SEGMENT_TERMS.get(key, touch=False)
            if found is not None:
                parts.append(found.docs + base)
            elif (fieldname, text) in leaf:
                return None
        if not parts:  # no segment has the term
            return _EMPTY_DOCS
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


def whoosh_equivalent(query: Query, evaluator: Evaluator) -> Query:
    """The Whoosh query that matches and scores as evaluator.evaluate(query) does, for
    checks against Whoosh: a phrase read through grams becomes And(the phrase with no score
    of its own, its cover's terms), so its score is that of the grams and the words left.

    On an index with grams: Phrase(text, [用, 我们]) → And([Phrase(text, [用, 我们],
    boost=0), Term(text, "用\\x1f我们")]); anything else is kept as it is.
    """
    if isinstance(query, Phrase):
        words = list(query.words)
        cover = gram_cover(words) if len(words) > 1 else None
        if cover is None or not evaluator.has_grams(query.fieldname):
            return query
        terms = [Term(query.fieldname, t) for t, _ in cover]
        return And([Phrase(query.fieldname, words, boost=0.0), *terms], boost=query.boost)
    return query.apply(lambda q: whoosh_equivalent(q, evaluator))


def _joined(parts: list[Postings], *, values: bool) -> Postings:
    """The segments' postings (global docnums, in segment order) as one list."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = _EMPTY_DOCS if values else None
        return Postings(_EMPTY_DOCS, _EMPTY_SCORES, empty, empty)
    return Postings(
        np.concatenate([p.docs for p in parts]),
        np.concatenate([p.weights for p in parts]),
        np.concatenate([p.counts for p in parts if p.counts is not None]) if values else None,
        np.concatenate([p.positions for p in parts if p.positions is not None]) if values else None,
    )


# A segment never changes once written (deletions are masked by the caller), so its posting
# lists stay valid across searchers: kept per process, by segment, for the most recent terms
# (sized in postings).
_SEGMENT_TERMS = SizedLru(TERM_CACHE_MAX_POSTINGS, TERM_CACHE_SIZE, largest=8)


def _segment_key(leaf: Any, fieldname: str, text: str) -> tuple[str, str, str] | None:
    """The key of a segment's term in the caches; None for a reader without segments."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return (segment.segment_id(), fieldname, text) if segment is not None else None


def _segment_postings(leaf: Any, fieldname: str, text: str) -> Postings | None:
    key = _segment_key(leaf, fieldname, text)
    if key is not None:
        cached = _SEGMENT_TERMS.get(key)
        if cached is not None:
            return cached
    found = _leaf_postings(leaf, fieldname, text, False)
    if found is not None and key is not None:
        _SEGMENT_TERMS.put(key, found, len(found.docs))
    return found


def _leaf_postings(
    leaf: Any, fieldname: str, text: str, values: bool, wanted: np.ndarray | None = None
) -> Postings | None:
    """One segment's posting list of a term (its own docnums), or None when it has none."""
    matcher = _matcher(leaf, fieldname, text)
    if matcher is None:
        return None
    return _matcher_postings(matcher, _segment_key(leaf, fieldname, text), values, wanted)


def _matcher_postings(
    matcher: Any, where: tuple[str, str, str] | None, values: bool, wanted: np.ndarray | None
) -> Postings:
    """A matcher's postings; where (segment, field, term): the block cache's key."""
    if isinstance(matcher, CompactLeafMatcher):
        return _read_compact(matcher, values, wanted, where)
    if isinstance(matcher, W3LeafMatcher):
        docs, weights, vals = _read_blocks(matcher, values, wanted)
    elif isinstance(matcher, ListMatcher):  # a one-document term, kept in the term table
        list_ids, list_weights, list_values = whoosh_private.list_postings(matcher)
        docs = np.asarray(list_ids, dtype=np.int64)
        weights = np.asarray(
            list_weights if list_weights is not None else [1.0] * len(docs),
            dtype=np.float64,
        )
        vals = list(list_values) if values and list_values is not None else None
    else:  # any other matcher: one posting at a time
        ids: list[int] = []
        ws: list[float] = []
        vs: list[bytes] = []
        while matcher.is_active():
            ids.append(matcher.id())
            ws.append(matcher.weight())
            if values:
                vs.append(matcher.value())
            matcher.next()
        docs, weights, vals = np.asarray(ids, np.int64), np.asarray(ws, np.float64), vs
    if not values:
        return Postings(docs, weights)
    counts, positions = _positions(vals or [])
    return Postings(docs, weights, counts, positions)


def _matcher(leaf: Any, fieldname: str, text: str) -> Any:
    """The segment's matcher of the term, deleted documents included; None without it."""
    if (fieldname, text) not in leaf:
        return None
    raw = whoosh_private.raw_matcher(leaf, fieldname, text)
    return raw if raw is not None else leaf.postings(fieldname, text)


def _phrase_blocks(
    leaf: Any, fieldname: str, words: list[str], i: int, wanted: np.ndarray
) -> list[phrases.Keyed] | None:
    """Word i's postings with position keys, from its blocks that can hold one of wanted
    (the segment's docnums): compact blocks from the block cache, others read as they are."""
    matcher = _matcher(leaf, fieldname, words[i])
    if matcher is None:
        return None
    if isinstance(matcher, CompactLeafMatcher):
        return phrases.term_blocks(matcher, _segment_key(leaf, fieldname, words[i]), wanted)
    found = _matcher_postings(matcher, None, True, wanted)
    assert found.counts is not None and found.positions is not None
    return [phrases.Keyed(found.docs, found.weights, found.counts, found.positions)]


def _read_compact(
    matcher: CompactLeafMatcher,
    values: bool,
    wanted: np.ndarray | None = None,
    where: tuple[str, str, str] | None = None,
) -> Postings:
    """A compact posting list (codec.py), block by block as arrays; with wanted
    (ascending docnums), only its postings of those documents, from the blocks that can
    hold them, with their positions. where (segment, field, term): blocks read with
    positions are kept decoded in the block cache under it."""
    parts: list[Postings] = []
    first = 0  # the lowest docnum the current block can hold
    while True:
        last = whoosh_private.block_last_id(matcher)
        if wanted is None or any_within(wanted, first, last):
            if values:
                keyed = phrases.keyed_block(matcher, where)
                parts.append(Postings(*keyed.postings(wanted)))
            else:
                parts.append(_block_postings(matcher.block(False), wanted))
        if whoosh_private.is_last_block(matcher):
            break
        first = last + 1
        whoosh_private.next_block(matcher)
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = _EMPTY_DOCS if values else None
        return Postings(_EMPTY_DOCS, _EMPTY_SCORES, empty, empty)
    return _joined(parts, values=values)


def _block_postings(block: Block, wanted: np.ndarray | None = None) -> Postings:
    """One block's documents and weights; with wanted, only those of these documents."""
    if wanted is None:
        return Postings(block.ids, block.weights)
    rows = rows_of(block.ids, wanted)
    return Postings(block.ids[rows], block.weights[rows])


def _read_blocks(
    matcher: W3LeafMatcher, values: bool, wanted: np.ndarray | None = None
) -> tuple[Any, Any, list[bytes] | None]:
    """The blocks of an on-disk posting list: ids (delta-coded), weights and, with values,
    the encoded positions. wanted (ascending docnums): only the blocks holding one of them."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    vals: list[bytes] = []
    first = 0  # the lowest docnum the current block can hold
    while True:
        last = whoosh_private.block_last_id(matcher)
        if wanted is None or any_within(wanted, first, last):
            data, compression, length = whoosh_private.block_bytes(matcher)
            if compression:
                data = zlib.decompress(data)
            if values:
                block_ids, block_weights, block_values = loads(data)
                vals.extend(block_values)
            else:
                block_ids, block_weights = _ids_and_weights(data, length)
            ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
            if block_weights is None:
                weights.append(np.ones(length))
            elif isinstance(block_weights, float):
                weights.append(np.full(length, block_weights))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float64))
        if whoosh_private.is_last_block(matcher):
            break
        first = last + 1
        whoosh_private.next_block(matcher)
    if not ids:
        return _EMPTY_DOCS, _EMPTY_SCORES, vals if values else None
    return np.concatenate(ids), np.concatenate(weights), vals if values else None


# A block is the pickle of (ids, weights, values); with Positions, each value is a bytes
# object, which pickle protocol 2 writes as a call of _codecs.encode: building them is most of
# the time of loads(). Ids and weights alone: the pickle cut where the values begin, closed as
# a 2-tuple. The cut is checked (and the whole pickle loaded when it does not fit).
_VALUES_START = b"c_codecs\nencode"


def _ids_and_weights(data: bytes, length: int) -> tuple[Any, Any]:
    at = data.find(_VALUES_START)
    # A tuple of more than 3 values opens with MARK "(" just before; shorter ones do not.
    cuts = [] if at <= 0 else [at - 1, at] if data[at - 1] == 0x28 else [at]
    for cut in cuts:
        try:
            head = loads(data[:cut] + b"\x86.")  # TUPLE2, STOP
        except Exception:
            continue
        if (
            isinstance(head, tuple)
            and len(head) == 2
            and isinstance(head[0], tuple)
            and len(head[0]) == length
            and (head[1] is None or isinstance(head[1], float) or len(head[1]) == length)
        ):
            return head
    block_ids, block_weights, _ = loads(data)
    return block_ids, block_weights


def _positions(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh's Positions.decode_positions on many values at once: (count per value, all
    positions). Each value is a 4-byte count and a pickled list of position deltas; the lists
    are joined into one pickled list of lists, so that a single loads() decodes them all."""
    if not encoded:
        return _EMPTY_DOCS, _EMPTY_DOCS
    first = encoded[0]
    if first[4:6] == _PROTO and first.endswith(b"."):  # as Positions.encode writes every one
        bodies = [value[6:-1] for value in encoded]
    else:
        bodies = [_pickle_body(value[4:]) for value in encoded]
    codes = loads(b"(" + b"".join(bodies) + b"l.")
    counts = np.fromiter(map(len, codes), dtype=np.int64, count=len(codes))
    flat = np.fromiter(itertools.chain.from_iterable(codes), dtype=np.int64, count=counts.sum())
    total = np.concatenate(([0], np.cumsum(flat)))
    before = total[np.cumsum(counts) - counts]  # the running sum where each value starts
    return counts, total[1:] - np.repeat(before, counts)


def _pickle_body(pickled: bytes) -> bytes:
    """A pickle without its protocol opening and its STOP: one item of a pickled list."""
    if pickled.startswith(_PROTO):
        pickled = pickled[2:]
    return pickled[:-1] if pickled.endswith(b".") else pickled


def _leaf_lengths(leaf: Any, fieldname: str) -> np.ndarray:
    count = leaf.doc_count_all()
    has_perdoc, column = whoosh_private.length_column(
        leaf, whoosh_private.length_field(fieldname), LENGTHS_COLUMN
    )
    if has_perdoc:
        if column is None:
            return np.ones(count)
        coded = numeric_column(column, count)
        if coded is None:
            coded = np.fromiter((column[i] for i in range(count)), dtype=np.uint8, count=count)
        coded = coded.astype(np.intp)
        return np.where(coded > 0, _LENGTH_OF_BYTE[coded], 1.0)
    return np.array([leaf.doc_field_length(d, fieldname, 1) or 1 for d in range(count)], float)


def numeric_column(column: Any, count: int) -> np.ndarray | None:
    """A Whoosh numeric column of one segment as an array, read in one go (iterating it
    costs a file read and an unpack per document: 0.1 s per column at 50,000), or None
    when the reader is of another kind. The stored (untranslated) values."""
    stored = whoosh_private.numeric_column_bytes(column)
    if stored is None:
        return None
    raw, typecode, default = stored
    values = np.frombuffer(raw, dtype=np.dtype(">" + typecode)).astype(
        np.dtype(typecode).newbyteorder("=")
    )
    if len(values) < count:  # documents after the last stored value have the default
        values = np.concatenate([values, np.full(count - len(values), default, values.dtype)])
    return values[:count]


def leaf_docs(leaf: Any, fieldname: str, text: str) -> np.ndarray:
    """The segment's own docnums with the term, deleted ones included (facet columns)."""
    found = _leaf_postings(leaf, fieldname, text, False)
    return found.docs if found is not None else _EMPTY_DOCS


# --- combining results ----------------------------------------------------------------------


def _intersect(results: list[Result]) -> Result:
    """Documents in every result; scores summed in the results' order."""
    if len(results) == 1:
        return results[0]
    docs = _common_docs(results)
    scores = np.zeros(len(docs))
    for result in results:
        scores += result.scores[np.searchsorted(result.docs, docs)]
    return Result(docs, scores)


def _common_docs(results: list[Result]) -> np.ndarray:
    """The documents in every result, intersected smallest first."""
    ordered = sorted(results, key=lambda r: len(r.docs))
    docs = ordered[0].docs
    for other in ordered[1:]:
        if not len(docs):
            break
        docs = common(docs, other.docs)
    return docs


def common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The docnums in both of two ascending arrays of distinct docnums, ascending.

    np.intersect1d sorts the two together: 1.4-2.6 ms for lists of 20,000-40,000 at
    100,000 documents. A mask over the docnums takes 0.06-0.12 ms, and binary search of a
    short list in a long one less."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    if len(a) * 32 < len(b):
        at = np.searchsorted(b, a)
        at[at == len(b)] = 0  # beyond b's last: b[0] is smaller, so no match
        return a[b[at] == a]
    return a[_mask(b, max(int(a[-1]), int(b[-1])) + 1)[a]]


def _mask(docs: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[docs] = True
    return mask


def _has_phrase(query: Query) -> bool:
    return isinstance(query, Phrase) or any(_has_phrase(q) for q in query.children())


def _union(results: list[Result]) -> Result:
    results = [r for r in results if len(r.docs)]
    if not results:
        return Result(_EMPTY_DOCS, _EMPTY_SCORES)
    if len(results) == 1:
        return results[0]
    every = np.concatenate([r.docs for r in results])
    scores = np.concatenate([r.scores for r in results])
    size = int(max(r.docs[-1] for r in results)) + 1
    if len(every) * 16 < size:  # short lists: sorting them beats arrays over every docnum
        docs, where = np.unique(every, return_inverse=True)
        return Result(docs, np.bincount(where, scores, len(docs)))
    docs = np.flatnonzero(_mask(every, size))
    return Result(docs, np.bincount(every, scores, size)[docs])


def _without(result: Result, excluded: np.ndarray) -> Result:
    if not len(excluded) or not len(result.docs):
        return result
    keep = ~_mask(excluded, max(int(result.docs[-1]), int(excluded[-1])) + 1)[result.docs]
    return Result(result.docs[keep], result.scores[keep])


def _maybe(result: Result, extra: Result) -> Result:
    if not len(extra.docs) or not len(result.docs):
        return result
    at = np.searchsorted(result.docs, extra.docs)
    theirs = np.flatnonzero(at < len(result.docs))
    theirs = theirs[result.docs[at[theirs]] == extra.docs[theirs]]
    mine = at[theirs]
    scores = result.scores.copy()
    scores[mine] += extra.scores[theirs]
    return Result(result.docs, scores)


def ranked(docs: np.ndarray, scores: np.ndarray, top: int) -> np.ndarray:
    """The first `top` docs by score, highest first, ties by docnum: Whoosh's order."""
    top = min(top, len(docs))
    if top <= 0:
        return docs[:0]
    if top < len(docs):
        threshold = np.partition(scores, len(scores) - top)[len(scores) - top]
        within = np.flatnonzero(scores >= threshold)
        docs, scores = docs[within], scores[within]
    order = np.lexsort((docs, -scores))[:top]
    return docs[order]
