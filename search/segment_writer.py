"""Bulk index writes (imports, rebuilds) that invert full-text fields with numpy.

Whoosh's SegmentWriter turns every document into one (field, term, doc, weight, value)
tuple per distinct word: Positions.word_values builds a dict of position lists and pickles
each list, the posting pool sorts the tuples, and the field writer unpickles the lists again
to write a block. At ~800 postings an article that was 12 ms of CPU per article, more than
segmenting, cleaning or storing it.

Here a full-text field of a document becomes two rows of integers appended to arrays (each
token's term number and position); at the end of a segment the arrays are sorted by term
once (numpy) and every term's blocks are encoded from slices (search.codec.encode_arrays).
The segment files are the ones Whoosh's writer makes from the same documents, byte for
byte (tests/search/test_segment_writer.py); only the way there differs. Other fields
(keywords, ids, dates, columns, stored values) go through Whoosh's own path.

ParallelWriter is Whoosh's MpWriter with these writers in its worker processes, each of
which starts a new segment after SEGMENT_TOKENS tokens, so memory stays bounded.
"""

from __future__ import annotations

import itertools
import pickle
import queue
import zlib
from array import array
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.formats import Positions
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import _length_byte_cache, byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis import ChineseTokenizer, segment
from search.codec import (
    _BLOCK_SIZE,
    _DTYPE,
    _HEADER,
    _PREFIX,
    BLOCK_LIMIT,
    COMPRESSION,
    MAGIC,
    MIN_COMPRESS,
    VALUES_POSITIONS,
    WEIGHTS_FLOAT,
    WEIGHTS_ONE,
)

_LENGTH_BYTE_CACHE = np.asarray(_length_byte_cache)
_WIDTH = {WEIGHTS_ONE: 0, 1: 1, 2: 2, 4: 4, WEIGHTS_FLOAT: 4}  # bytes a weight, per code
SEGMENT_TOKENS = 64_000_000  # ~57,000 articles: 512 MB of token arrays, then a new segment
PASS_TOKENS = 4_000_000  # tokens sorted at once at the end of a segment


def inverts(field: Any) -> bool:
    """Whether a field is written here: a scorable, unstored Chinese text field with
    positions and nothing else (no vector, column or separate spelling words)."""
    return (
        type(field.analyzer) is ChineseTokenizer
        and type(field.format) is Positions
        and field.scorable
        and not field.stored
        and not field.vector
        and not field.column_type
        and not field.separate_spelling()
    )


class FieldBuffer:
    """One field's tokens of the documents added so far, as flat arrays."""

    def __init__(self, field_boost: float) -> None:
        self.field_boost = field_boost
        self.terms: dict[str, int] = {}  # term → number, in order of first sight
        self.term = array("I")  # per token: its term's number
        self.pos = array("I")  # per token: its position
        self.docs = array("I")  # per document with tokens: its docnum ...
        self.counts = array("I")  # ... its token count (the field length) ...
        self.boosts: dict[int, float] = {}  # ... its boost, when not 1.0

    def __len__(self) -> int:
        return len(self.term)

    def add(self, docnum: int, value: str, boost: float) -> int:
        """Add a document's tokens; returns the field length (Whoosh's: every token)."""
        pieces = segment(value, stacked=True)
        if not pieces:
            return 0
        terms = self.terms
        self.term.extend([terms.setdefault(p.text, len(terms)) for p in pieces])
        self.pos.extend([p.pos for p in pieces])
        self.docs.append(docnum)
        self.counts.append(len(pieces))
        if boost != 1.0:
            self.boosts[docnum] = boost
        return len(pieces)

    def write(self, fieldwriter: Any, fieldname: str, fieldobj: Any) -> None:
        """Write this field's terms and postings through a CompactFieldWriter, as its
        add_postings() would have from the same documents. Terms go in ranges of about
        PASS_TOKENS tokens, so what is sorted at once stays small. Uses up the buffer."""
        if not len(self.term):  # a field without postings has no place in the segment
            return
        fieldwriter.start_field(fieldname, fieldobj)
        words = [w.encode("utf-8") for w in self.terms]
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.empty(len(words), dtype=np.uint32)
        rank[order] = np.arange(len(words), dtype=np.uint32)
        ranks = np.frombuffer(self.term, dtype=np.uint32)
        for start in range(0, len(ranks), PASS_TOKENS):  # term numbers → ranks, in place
            chunk = ranks[start : start + PASS_TOKENS]
            chunk[:] = rank[chunk]
        self.terms, self.term = {}, array("I")
        tokens = _Tokens(self, ranks)
        cumulative = np.cumsum(np.bincount(ranks, minlength=len(words)))
        edges = np.searchsorted(cumulative, np.arange(PASS_TOKENS, len(ranks), PASS_TOKENS))
        bounds = sorted({0, len(words), *(edges + 1).tolist()})
        for lo, hi in itertools.pairwise(bounds):
            _write_terms(fieldwriter, [words[i] for i in order[lo:hi]], tokens.inverted(lo, hi))
        fieldwriter.finish_field()


class _Tokens:
    """A FieldBuffer's tokens with their terms' ranks in bytes order, and what every range
    of terms needs: the documents' field lengths and boosts."""

    def __init__(self, buf: FieldBuffer, ranks: np.ndarray) -> None:
        self.ranks = ranks
        self.pos = np.frombuffer(buf.pos, dtype=np.uint32)
        counts = np.frombuffer(buf.counts, dtype=np.uint32)
        self.docs = np.frombuffer(buf.docs, dtype=np.uint32)
        self.doc_starts = np.cumsum(counts, dtype=np.int64) - counts  # each one's first token
        # Field lengths as the per-document reader gives them back (one byte each)
        values, which = np.unique(counts, return_inverse=True)
        rounded = np.array([byte_to_length(length_to_byte(int(v))) for v in values])
        self.lengths = np.zeros(int(self.docs.max()) + 1, dtype=np.int64)
        self.lengths[self.docs] = rounded[which]
        self.field_boost = buf.field_boost
        self.boost = np.ones(len(self.lengths))  # the documents' own boosts
        if buf.boosts:
            self.boost[list(buf.boosts)] = list(buf.boosts.values())

    def inverted(self, lo: int, hi: int) -> _Inverted:
        """The postings of the terms ranked lo to hi - 1."""
        if lo == 0 and hi > int(self.ranks.max()):
            index = np.argsort(self.ranks, kind="stable")  # keeps each term's tokens in order
        else:
            index = np.flatnonzero((self.ranks >= lo) & (self.ranks < hi))
            index = index[np.argsort(self.ranks[index], kind="stable")]
        term = self.ranks[index]
        doc = self.docs[np.searchsorted(self.doc_starts, index, side="right") - 1]
        pos = self.pos[index].astype(np.int32)
        return _Inverted(term, doc, pos, self)


class _Inverted:
    """Postings sorted by term (bytes order), then document; each posting's positions as
    Positions' deltas (the first one absolute)."""

    def __init__(self, term: np.ndarray, doc: np.ndarray, pos: np.ndarray, tokens: _Tokens):
        n = len(term)
        new = np.ones(n, dtype=bool)
        new[1:] = (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])
        starts = np.flatnonzero(new)  # each posting's first token
        del new
        self.token_starts = np.append(starts, n)
        self.ids = doc[starts]
        self.freqs = np.diff(self.token_starts)
        deltas = np.empty_like(pos)
        deltas[0] = pos[0]
        np.subtract(pos[1:], pos[:-1], out=deltas[1:])
        deltas[starts] = pos[starts]
        self.deltas = deltas
        posting_terms = term[starts]
        tnew = np.ones(len(starts), dtype=bool)
        tnew[1:] = posting_terms[1:] != posting_terms[:-1]
        self.term_starts = np.append(np.flatnonzero(tnew), len(starts))
        self.lengths = tokens.lengths[self.ids]
        # As Whoosh: the frequency times the field's boost, then times the document's
        self.weights = self.freqs * tokens.field_boost * tokens.boost[self.ids]


def _widths(top: np.ndarray) -> np.ndarray:
    """The byte width _uints() picks for a list with this maximum."""
    return np.where(top < 1 << 8, 1, np.where(top < 1 << 16, 2, 4))


def _as_bytes(values: np.ndarray, widths: np.ndarray) -> dict[int, bytes]:
    """values packed at each width that `widths` uses, for slicing."""
    return {int(w): values.astype(_DTYPE[int(w)]).tobytes() for w in np.unique(widths)}


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """length_to_byte() of every value."""
    return np.where(
        lengths >= 106374, 255, np.searchsorted(_LENGTH_BYTE_CACHE, lengths, side="left")
    )


def _write_terms(fieldwriter: Any, words: list[bytes], inv: _Inverted) -> None:
    """Every term's blocks, as CompactPostingsWriter writes them one posting at a time, and
    its W3TermInfo, with the per-block figures (widths, maxima, sums) computed for all
    blocks at once; what is left per block is slicing bytes, zlib and two struct packs."""
    ids, weights, freqs, lengths = inv.ids, inv.weights, inv.freqs, inv.lengths
    token_starts, deltas, term_starts = inv.token_starts, inv.deltas, inv.term_starts
    count = len(ids)
    df = np.diff(term_starts)
    nblocks = (df + BLOCK_LIMIT - 1) // BLOCK_LIMIT
    block_term = np.repeat(np.arange(len(df)), nblocks)
    first_block = np.cumsum(nblocks) - nblocks
    within = np.arange(len(block_term)) - first_block[block_term]
    starts = term_starts[:-1][block_term] + within * BLOCK_LIMIT
    ends = np.minimum(starts + BLOCK_LIMIT, term_starts[1:][block_term])
    gaps = np.zeros(count, dtype=np.int64)
    gaps[1:] = ids[1:].astype(np.int64) - ids[:-1]
    gaps[starts] = 0
    id_widths = _widths(np.maximum.reduceat(gaps, starts))
    stored = weights.astype(np.float32).astype(np.float64)
    whole = stored == np.trunc(stored)
    weight_codes = np.where(
        np.logical_and.reduceat(stored == 1.0, starts),
        WEIGHTS_ONE,
        np.where(
            np.logical_and.reduceat(whole, starts),
            _widths(np.maximum.reduceat(stored, starts)),
            WEIGHTS_FLOAT,
        ),
    )
    count_widths = _widths(np.maximum.reduceat(freqs, starts))
    token_from, token_to = token_starts[starts], token_starts[ends]
    delta_widths = _widths(np.maximum.reduceat(deltas, token_from))
    block_max_weight = np.maximum.reduceat(weights, starts)
    block_sum = np.add.reduceat(stored, starts)
    block_min_length = np.minimum.reduceat(lengths, starts)
    block_max_length = np.maximum.reduceat(lengths, starts)

    gap_bytes = _as_bytes(gaps, id_widths)
    whole_codes = weight_codes[(weight_codes != WEIGHTS_FLOAT) & (weight_codes != WEIGHTS_ONE)]
    weight_bytes = _as_bytes(stored.astype(np.int64), whole_codes)
    weight_bytes[WEIGHTS_ONE] = b""
    weight_bytes[WEIGHTS_FLOAT] = stored.astype("<f4").tobytes()
    count_bytes = _as_bytes(freqs, count_widths)
    delta_bytes = _as_bytes(deltas, delta_widths)
    blocks = zip(
        starts.tolist(),
        ends.tolist(),
        token_from.tolist(),
        token_to.tolist(),
        id_widths.tolist(),
        weight_codes.tolist(),
        count_widths.tolist(),
        delta_widths.tolist(),
        ids[starts].tolist(),
        ids[ends - 1].tolist(),
        block_max_weight.tolist(),
        _length_bytes(block_min_length).tolist(),
        _length_bytes(block_max_length).tolist(),
        strict=True,
    )
    terms = zip(
        words,
        nblocks.tolist(),
        np.add.reduceat(block_sum, first_block).tolist(),
        df.tolist(),
        _length_bytes(np.minimum.reduceat(block_min_length, first_block)).tolist(),
        _length_bytes(np.maximum.reduceat(block_max_length, first_block)).tolist(),
        np.maximum.reduceat(block_max_weight, first_block).tolist(),
        ids[term_starts[:-1]].tolist(),
        ids[term_starts[1:] - 1].tolist(),
        strict=True,
    )
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    fieldid = pack_ushort(fieldwriter._fieldid)
    offset = postfile.tell()
    pack_prefix, pack_header, pack_size = _PREFIX.pack, _HEADER.pack, _BLOCK_SIZE.pack
    pack_info = W3TermInfo._struct.pack
    compress = zlib.compress
    for word, nblock, weight, freq, minlength, maxlength, maxweight, minid, maxid in terms:
        parts = [MAGIC]
        for n in range(nblock):
            s, e, ts, te, iw, wc, cw, dw, first, last_id, mw, lo, hi = next(blocks)
            data = b"".join(
                (
                    pack_prefix(1, iw, wc, VALUES_POSITIONS, cw, dw, first),
                    gap_bytes[iw][(s + 1) * iw : e * iw],
                    weight_bytes[wc][s * _WIDTH[wc] : e * _WIDTH[wc]],
                    count_bytes[cw][s * cw : e * cw],
                    delta_bytes[dw][ts * dw : te * dw],
                )
            )
            comp = COMPRESSION if len(data) >= MIN_COMPRESS else 0
            if comp:
                data = compress(data, comp)
            header = pack_header(e - s, last_id, mw, comp, lo, hi)
            size = len(header) + len(data)
            parts += (pack_size(-size if n == nblock - 1 else size), header, data)
        chunk = b"".join(parts)
        postfile.write(chunk)
        info = pack_info(0, weight, freq, minlength, maxlength, maxweight, minid, maxid)
        tindex.add(fieldid + word, info + pack_long(offset) + pack_int(len(chunk)))
        offset += len(chunk)


class InvertingWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the fields that inverts() accepts written by FieldBuffers.

    For the writes of one process into a new segment only: it merges no other segment
    (merged postings would come through the pool, beside the buffers)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.buffers = {
            name: FieldBuffer(field.format.field_boost)
            for name, field in self.schema.items()
            if inverts(field)
        }

    def tokens(self) -> int:
        """Tokens buffered so far (what the end of the segment will sort)."""
        return sum(len(b) for b in self.buffers.values())

    def add_document(self, **fields: Any) -> None:
        """SegmentWriter.add_document, with the buffered fields' terms kept out of the pool."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            buffer = self.buffers.get(fieldname)
            length = 0
            if buffer is not None:
                boost = self._field_boost(fields, fieldname, docboost)
                length = buffer.add(docnum, value, boost)
            elif field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                for tbytes, freq, weight, vbytes in field.index(value):
                    if field.scorable:
                        length += freq
                    add_post((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {fieldname!r}: spelling and vectors are not written")
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("InvertingWriter merges no segments")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(
            self.schema, lengths, self.pool.iter_postings(), direct=self.buffers
        )
        self.fieldwriter.close()
        if lengths:
            lengths.close()
        self.buffers = {}


class _Task(SubWriterTask):
    """A worker process of ParallelWriter: InvertingWriters, a new segment every
    SEGMENT_TOKENS tokens; puts the list of its segments on the result queue."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        self.writer = InvertingWriter(ix, _lk=False, **self.kwargs)
        segments = []
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
            if self.writer.tokens() >= SEGMENT_TOKENS:
                segments.append(self.writer._finalize_segment())
                self.writer = InvertingWriter(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        if self.writer._added:
            segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        self.resultqueue.put((None, None, segments), timeout=5)


class ParallelWriter(MpWriter):
    """Whoosh's MpWriter (multisegment) with _Task workers: each worker's documents end in
    segments of its own, kept as they are; this process deletes, merges and commits."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, multisegment=True, **kwargs)

    def _new_task(self) -> Any:
        task = _Task(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        """MpWriter._enqueue, without waiting forever on a full queue of dead workers."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job: Any) -> None:
        while True:
            try:
                return self.jobqueue.put(job, timeout=1)
            except queue.Full:
                if not all(task.is_alive() for task in self.tasks):
                    SegmentWriter.cancel(self)
                    raise RuntimeError("an index writer process failed") from None

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        for task in self.tasks:
            task.join()
        failed = [task for task in self.tasks if task.exitcode != 0]
        if failed:
            SegmentWriter.cancel(self)
            raise RuntimeError(f"{len(failed)} index writer process(es) failed")
        for _ in self.tasks:
            finalsegments += self.resultqueue.get(timeout=5)[2]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
