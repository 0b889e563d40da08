"""A segment's full-text tokens inverted with numpy: FieldBuffer keeps (term number,
position) per token; at the end of the segment every block's figures are computed for all
blocks at once and the blocks written in codec.py's format."""

from __future__ import annotations

import itertools
from array import array
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from search.analysis import index_pieces
from search.engine.whoosh import whoosh_private
from search.engine.whoosh.codec import (
    BLOCK_LIMIT,
    BLOCK_SIZE,
    COMPRESSION,
    DTYPE,
    HEADER,
    MAGIC,
    PREFIX,
    VALUES_POSITIONS,
    WEIGHT_WIDTH,
    WEIGHTS_FLOAT,
    WEIGHTS_ONE,
    block_data,
)

PASS_TOKENS = 4_000_000  # tokens sorted at once at the end of a segment


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
        pieces = index_pieces(value)
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
        tokens = _Tokens(self, ranks, len(words))
        cumulative = np.cumsum(np.bincount(ranks, minlength=len(words)))
        edges = np.searchsorted(cumulative, np.arange(PASS_TOKENS, len(ranks), PASS_TOKENS))
        bounds = sorted({0, len(words), *(edges + 1).tolist()})
        for lo, hi in itertools.pairwise(bounds):
            _write_terms(fieldwriter, [words[i] for i in order[lo:hi]], tokens.inverted(lo, hi))
        fieldwriter.finish_field()


class _Tokens:
    """A FieldBuffer's tokens with their terms' ranks in bytes order, and what every range
    of terms needs: the documents' field lengths and boosts."""

    def __init__(self, buf: FieldBuffer, ranks: np.ndarray, term_count: int) -> None:
        self.ranks = ranks
        self.term_count = term_count
        self.pos = np.frombuffer(buf.pos, dtype=np.uint32)
        counts = np.frombuffer(buf.counts, dtype=np.uint32)
        self.docs = np.frombuffer(buf.docs, dtype=np.uint32)
        self.doc_starts = np.cumsum(counts, dtype=np.int64) - counts  # each one's first token
        # Field lengths as stored, one byte each (length_to_byte is monotonic: the byte of
        # a block's shortest field is the smallest byte)
        values, which = np.unique(counts, return_inverse=True)
        stored = np.array([length_to_byte(int(v)) for v in values])
        self.lengths = np.zeros(int(self.docs.max()) + 1, dtype=np.int64)
        self.lengths[self.docs] = stored[which]
        self.field_boost = buf.field_boost
        self.boost = np.ones(len(self.lengths))  # the documents' own boosts
        if buf.boosts:
            self.boost[list(buf.boosts)] = list(buf.boosts.values())

    def inverted(self, lo: int, hi: int) -> _Inverted:
        """The postings of the terms ranked lo to hi - 1."""
        if lo == 0 and hi == self.term_count:
            index = np.argsort(self.ranks, kind="stable")  # keeps each term's tokens in order
        else:
            index = np.flatnonzero((self.ranks >= lo) & (self.ranks < hi))
            index = index[np.argsort(self.ranks[index], kind="stable")]
        term = self.ranks[index]
        doc = self.docs[np.searchsorted(self.doc_starts, index, side="right") - 1]
        pos = self.pos[index].astype(np.int32)
        return _Inverted(term, doc, pos, self)


class _Inverted:
    """Postings sorted by term (bytes order), then document, with each posting's positions."""

    def __init__(self, term: np.ndarray, doc: np.ndarray, pos: np.ndarray, tokens: _Tokens):
        n = len(term)
        new = np.ones(n, dtype=bool)
        new[1:] = (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])
        starts = np.flatnonzero(new)  # each posting's first token
        del new
        self.token_starts = np.append(starts, n)
        self.ids = doc[starts]
        self.freqs = np.diff(self.token_starts)
        self.positions = pos
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
    return {int(w): values.astype(DTYPE[int(w)]).tobytes() for w in np.unique(widths)}


class _BlockRow(NamedTuple):
    """One block's slices and header figures, as _write_terms packs them."""

    start: int  # its first posting (index into the postings of the range)
    end: int  # one past its last posting
    token_from: int  # its first position (index into the positions)
    token_to: int  # one past its last position
    id_width: int  # bytes per id gap
    weight_code: int  # WEIGHTS_ONE, a whole-number width, or WEIGHTS_FLOAT
    count_width: int  # bytes per position count
    position_width: int  # bytes per position
    first_id: int
    last_id: int
    max_weight: float
    min_length: int  # the bytes of its shortest and longest field
    max_length: int


@dataclass
class _Blocks:
    """Every block of a range of terms (at most BLOCK_LIMIT postings of one term each): what
    its header, prefix and data slices hold, computed for all blocks at once."""

    rows: list[_BlockRow]  # per block
    nblocks: np.ndarray  # per term
    first: np.ndarray  # per term: the index of its first block
    weight_sum: np.ndarray  # per block: the stored (float32) weights added up
    min_length: np.ndarray  # per block: the bytes of its shortest and longest field
    max_length: np.ndarray
    max_weight: np.ndarray
    bytes: dict[str, dict[int, bytes]]  # id gaps, weights, counts, positions at each width


def _blocks(inv: _Inverted) -> _Blocks:
    """Split every term's postings into blocks of at most BLOCK_LIMIT and compute, for all
    blocks at once, what codec.encode_block would compute for each: where each block's
    postings and positions start and end, the byte widths of its id gaps, counts and
    positions, its weight code, first and last id, maximum weight and field-length bytes;
    and every column packed at each width used, so a block's data is a slice of bytes.

    Postings of terms a, a, b with ids 3, 9, 4 → blocks [3, 9] and [4], gaps [0, 6] and [0].
    """
    ids, weights, term_starts = inv.ids, inv.weights, inv.term_starts
    df = np.diff(term_starts)
    nblocks = (df + BLOCK_LIMIT - 1) // BLOCK_LIMIT
    block_term = np.repeat(np.arange(len(df)), nblocks)
    first = np.cumsum(nblocks) - nblocks
    within = np.arange(len(block_term)) - first[block_term]
    starts = term_starts[:-1][block_term] + within * BLOCK_LIMIT
    ends = np.minimum(starts + BLOCK_LIMIT, term_starts[1:][block_term])
    gaps = np.zeros(len(ids), dtype=np.int64)
    gaps[1:] = ids[1:].astype(np.int64) - ids[:-1]
    gaps[starts] = 0
    id_widths = _widths(np.maximum.reduceat(gaps, starts))
    stored = weights.astype(np.float32).astype(np.float64)
    weight_codes = _weight_codes(stored, starts)
    count_widths = _widths(np.maximum.reduceat(inv.freqs, starts))
    token_from, token_to = inv.token_starts[starts], inv.token_starts[ends]
    position_widths = _widths(np.maximum.reduceat(inv.positions, token_from))
    whole = weight_codes[(weight_codes != WEIGHTS_FLOAT) & (weight_codes != WEIGHTS_ONE)]
    weight_bytes = _as_bytes(stored.astype(np.int64), whole)
    weight_bytes[WEIGHTS_ONE] = b""
    weight_bytes[WEIGHTS_FLOAT] = stored.astype("<f4").tobytes()
    blocks = _Blocks(
        rows=[],
        nblocks=nblocks,
        first=first,
        weight_sum=np.add.reduceat(stored, starts),
        min_length=np.minimum.reduceat(inv.lengths, starts),
        max_length=np.maximum.reduceat(inv.lengths, starts),
        max_weight=np.maximum.reduceat(weights, starts),
        bytes={
            "gaps": _as_bytes(gaps, id_widths),
            "weights": weight_bytes,
            "counts": _as_bytes(inv.freqs, count_widths),
            "positions": _as_bytes(inv.positions, position_widths),
        },
    )
    blocks.rows = _rows(
        (starts, ends, token_from, token_to, id_widths, weight_codes, count_widths),
        (position_widths, ids[starts], ids[ends - 1]),
        blocks,
    )
    return blocks


def _rows(
    slices: tuple[np.ndarray, ...], figures: tuple[np.ndarray, ...], blocks: _Blocks
) -> list[_BlockRow]:
    """Per block, its _BlockRow: the columns in _BlockRow's field order, as Python numbers."""
    columns = (*slices, *figures, blocks.max_weight, blocks.min_length, blocks.max_length)
    return list(map(_BlockRow._make, zip(*(c.tolist() for c in columns), strict=True)))


def _weight_codes(stored: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """encode_block's choice per block: all 1.0, whole numbers (their width), or float32."""
    return np.where(
        np.logical_and.reduceat(stored == 1.0, starts),
        WEIGHTS_ONE,
        np.where(
            np.logical_and.reduceat(stored == np.trunc(stored), starts),
            _widths(np.maximum.reduceat(stored, starts)),
            WEIGHTS_FLOAT,
        ),
    )


def _term_rows(words: list[bytes], inv: _Inverted, blocks: _Blocks) -> Any:
    """Per term: its bytes, block count and W3TermInfo figures (as its add_block sums)."""
    first, starts = blocks.first, inv.term_starts
    return zip(
        words,
        blocks.nblocks.tolist(),
        np.add.reduceat(blocks.weight_sum, first).tolist(),
        np.diff(starts).tolist(),
        np.minimum.reduceat(blocks.min_length, first).tolist(),
        np.maximum.reduceat(blocks.max_length, first).tolist(),
        np.maximum.reduceat(blocks.max_weight, first).tolist(),
        inv.ids[starts[:-1]].tolist(),
        inv.ids[starts[1:] - 1].tolist(),
        strict=True,
    )


def _write_terms(fieldwriter: Any, words: list[bytes], inv: _Inverted) -> None:
    """Every term's blocks, as CompactPostingsWriter writes them one posting at a time, and
    its W3TermInfo; what is left per block is slicing bytes, zlib and three struct packs."""
    blocks = _blocks(inv)
    rows = iter(blocks.rows)
    gaps, weights, counts, positions = blocks.bytes.values()
    postfile, tindex, fieldnum = whoosh_private.field_writer_files(fieldwriter)
    fieldid = pack_ushort(fieldnum)
    offset = postfile.tell()
    pack_prefix, pack_header, pack_size = PREFIX.pack, HEADER.pack, BLOCK_SIZE.pack
    for word, nblock, *info in _term_rows(words, inv, blocks):
        parts = [MAGIC]
        for n in range(nblock):
            row = next(rows)
            s, e, iw, wc, cw, pw = (
                row.start,
                row.end,
                row.id_width,
                row.weight_code,
                row.count_width,
                row.position_width,
            )
            head = b"".join(
                (
                    pack_prefix(2, iw, wc, VALUES_POSITIONS, cw, pw, row.first_id),
                    gaps[iw][(s + 1) * iw : e * iw],
                    weights[wc][s * WEIGHT_WIDTH[wc] : e * WEIGHT_WIDTH[wc]],
                    counts[cw][s * cw : e * cw],
                )
            )
            ranged = positions[pw][row.token_from * pw : row.token_to * pw]
            comp, data = block_data(head, ranged, COMPRESSION)
            header = pack_header(
                e - s, row.last_id, row.max_weight, comp, row.min_length, row.max_length
            )
            size = len(header) + len(data)
            parts += (pack_size(-size if n == nblock - 1 else size), header, data)
        chunk = b"".join(parts)
        postfile.write(chunk)
        terminfo = whoosh_private.TERMINFO_STRUCT.pack(0, *info)
        tindex.add(fieldid + word, terminfo + pack_long(offset) + pack_int(len(chunk)))
        offset += len(chunk)
