"""The compact posting-block format, encode and decode: Whoosh's W3 codec with each block of
postings (id gaps, weights, counts, positions) as typed arrays behind one zlib stream, read
with numpy.frombuffer; older W3 segments are still read. Layout: docs/search.md, Index format."""

from __future__ import annotations

import itertools
import os
import struct
import sys
import zlib
from array import array
from pickle import dumps, loads
from typing import Any

import numpy as np
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermsReader,
)
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

# The block format, shared with inversion.py (the bulk encoder), which writes the same bytes.
MAGIC = b"Cpt1"  # opens every term's postings
BLOCK_LIMIT = 1024  # postings per block (W3: 128); nothing skips inside lists any more
COMPRESSION = 3  # zlib level, as W3
MIN_COMPRESS = 64  # smaller blocks are stored as they are
# count, last id, max weight, zlib level (0: none), min and max field length bytes
HEADER = struct.Struct("!IIfBBB")
PREFIX = struct.Struct("<6BxxI")  # version, widths and kinds (below), the first id
VALUES_NONE, VALUES_POSITIONS, VALUES_RAW = 0, 1, 2
WEIGHTS_ONE, WEIGHTS_FLOAT = 0, 5
WEIGHT_WIDTH = {WEIGHTS_ONE: 0, 1: 1, 2: 2, 4: 4, WEIGHTS_FLOAT: 4}  # bytes a weight, per code
_TYPECODE = {1: "B", 2: "H", 4: "I"}
DTYPE = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_PROTO2 = b"\x80\x02"
BLOCK_SIZE = struct.Struct("!i")  # before each block, as StructFile.write_int
_BIG_ENDIAN = sys.byteorder == "big"


SPLIT = 0x80  # in the header's compression byte: positions follow the zlib stream
_HEAD_SIZE = struct.Struct("<I")


class CompactCodec(W3Codec):
    """W3 with compact posting blocks (term vectors, unused here, stay W3)."""

    def __init__(
        self, blocklimit: int = BLOCK_LIMIT, compression: int = COMPRESSION, inlinelimit: int = 1
    ) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return CompactPostingsWriter(
            dbfile, blocklimit=self._blocklimit, compression=self._compression, inlinelimit=1
        )

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return CompactFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        """W3's, with the term table read by pread() (see PreadFile). Postings are read as
        before."""
        name = segment.make_filename(self.TERMS_EXT)
        terms = pread_file(storage.open_file(name))
        postings = segment.open_file(storage, self.POSTS_EXT)
        return W3TermsReader(self, terms, storage.file_length(name), postings)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class PreadFile(StructFile):
    """A segment file whose reads are single os.pread() calls. Whoosh reads a plain segment
    file with a seek and a read() for every get(), and a term lookup in the hash table of a
    segment's term file takes several, for each of a search's lookups (is the term there,
    its document frequency, its postings). Not a memory map: its pages would count in every
    worker's resident size (the term tables are 220 MB at 100,000 articles with grams), for
    the same CPU (docs/performance.md)."""

    def __init__(self, fileobj: Any, name: str | None = None) -> None:
        super().__init__(fileobj, name=name)
        self._fd = fileobj.fileno()

    def get(self, position: int, length: int) -> bytes:
        return os.pread(self._fd, length, position)


def pread_file(structfile: Any) -> Any:
    """The open file as a PreadFile; as it is when it is not a real file (a compound
    segment's part, RAM storage) or the system has no pread (Windows)."""
    if not getattr(structfile, "is_real", False) or not hasattr(os, "pread"):
        return structfile
    return PreadFile(structfile.file, name=getattr(structfile, "_name", None))


class CompactFieldWriter(W3FieldWriter):
    """W3's field writer with a tighter add_postings() loop, writing the same bytes.

    Whoosh's loop looks up every posting's field length through the per-document reader
    (a column read and a byte_to_length each: 13% of a commit) and goes through two call
    layers and four type assertions per posting. Here each field's lengths are read once
    into a list and postings go straight into the block buffer."""

    def add_postings(
        self, schema: Any, lengths: Any, items: Any, direct: dict[str, Any] | None = None
    ) -> None:
        """direct: fields written by segment_writer's buffers instead of from items,
        each in its place in field order."""
        count = lengths.doc_count_all() if lengths else 0
        waiting = sorted((direct or {}).items())
        lastfn: str | None = None
        lasttext: bytes | None = None
        field_lengths: list[Any] = []
        add = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lastfn is not None and fieldname < lastfn:
                    raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                while waiting and waiting[0][0] < fieldname:
                    name, buffer = waiting.pop(0)
                    buffer.write(self, name, schema[name])
                self.start_field(fieldname, schema[fieldname])
                lastfn, lasttext = fieldname, None
                field_lengths = _field_lengths(lengths, fieldname, count)
                add = self._postwriter.add_posting
            if docnum == -1:  # Whoosh's marker for spelling words: none here
                continue
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise OutOfOrderError(f"Term {fieldname}:{lasttext!r} .. {btext!r}")
                    self.finish_term()
                self.start_term(btext)
                lasttext = btext
            length = field_lengths[docnum] if docnum < count else None
            add(docnum, weight, value or b"", length)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()
        for name, buffer in waiting:
            buffer.write(self, name, schema[name])


def _field_lengths(lengths: Any, fieldname: str, count: int) -> list[Any]:
    """Every document's length of the field, as Whoosh's doc_field_length gives it."""
    if not lengths:
        return [0] * count
    return [lengths.doc_field_length(d, fieldname) for d in range(count)]


class CompactPostingsWriter(W3PostingsWriter):
    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        """W3's add_posting without its per-posting type assertions."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(MAGIC)
        self._terminfo.add_block(self)
        trusted = type(self._format) is Positions
        head, positions = encode_block(self._ids, self._weights, self._values, trusted)
        comp, data = block_data(head, positions, self._compression)
        info = HEADER.pack(
            len(self._ids),
            self._ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        blocklength = len(info) + len(data)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


class CompactLeafMatcher(W3LeafMatcher):
    """W3's matcher over compact blocks; block() gives a whole block as arrays."""

    def _read_header(self) -> None:
        postfile = self._postfile
        postfile.seek(self._startoffset)
        magic = postfile.read(4)
        if magic != MAGIC:
            raise ValueError(f"Block tag error {magic!r}")
        self._baseoffset = postfile.tell()

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._block: Block | None = None
        self._i = 0
        postfile = self._postfile
        postfile.seek(position)
        length = postfile.read_int()
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + _INT_SIZE + length
        info = HEADER.unpack(postfile.read(HEADER.size))
        self._dataoffset = position + _INT_SIZE + HEADER.size
        self._blocklength, self._maxid, self._maxweight, self._compression, mnlen, mxlen = info
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)

    def block(self, values: bool = True) -> Block:
        """The current block, decoded (cached until the matcher moves to another). Not
        values: only its ids and weights (a term's list without positions), not cached."""
        if self._block is None:
            data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
            if not values:
                return read_block(data, self._compression, self._blocklength, values=False)
            self._block = read_block(data, self._compression, self._blocklength)
        return self._block

    def position_arrays(self) -> PositionArrays | None:
        """The current block's postings for phrases, decoded the shortest way (version 2
        only, else None): see position_arrays()."""
        if not self._compression & SPLIT:
            return None
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        return position_arrays(data, self._compression, self._blocklength)

    def _read_ids(self) -> None:
        self._ids = self.block().ids.tolist()

    def _read_weights(self) -> None:
        self._weights = self.block().weights.tolist()

    def _read_values(self) -> None:
        fixedsize = self._fixedsize
        if fixedsize == 0:
            self._values = (None,) * self._blocklength
            return
        block = self.block()
        if block.raw is not None:
            self._values = block.raw
        elif block.counts is not None:
            self._values = tuple(_positions_value(d) for d in block.delta_lists())
        else:
            self._values = (b"",) * self._blocklength


class Block:
    """A decoded block: absolute ids, weights, and the values (positions or raw)."""

    __slots__ = ("counts", "ids", "positions", "raw", "weights")

    def __init__(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        counts: np.ndarray | None = None,
        positions: np.ndarray | None = None,
        raw: tuple[bytes, ...] | None = None,
    ) -> None:
        self.ids = ids  # int64, ascending
        self.weights = weights  # float64
        self.counts = counts  # int64 positions per posting
        # every posting's absolute positions, ascending in each; unsigned, as stored
        self.positions = positions
        self.raw = raw

    def delta_lists(self) -> list[list[int]]:
        """Each posting's position deltas, the first absolute (Positions' encoding)."""
        assert self.counts is not None and self.positions is not None
        flat = position_deltas(self.counts, self.positions).tolist()
        ends = np.cumsum(self.counts)
        return [flat[e - c : e] for c, e in zip(self.counts.tolist(), ends.tolist(), strict=True)]


def _positions_value(deltas: list[int]) -> bytes:
    return pack_uint(len(deltas)) + dumps(deltas, 2)  # as Positions.encode


def _uints(values: list[int]) -> tuple[int, bytes]:
    """Non-negative integers packed as the narrowest of 1, 2 or 4 bytes, little-endian."""
    if not values:
        return 1, b""
    top = max(values)
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    packed = array(_TYPECODE[width], values)
    if _BIG_ENDIAN:
        packed.byteswap()
    return width, packed.tobytes()


def _position_deltas(values: list[bytes], trusted: bool) -> list[list[int]] | None:
    """Each Positions value's delta list, decoded in one pickle load; None when a value is
    not in Positions' encoding, or a list is not its count long. trusted: the values are
    Positions.encode's own (the field's format is Positions), so only the load is checked."""
    if not trusted:
        for value in values:
            if value[_INT_SIZE : _INT_SIZE + 2] != _PROTO2 or not value.endswith(b"."):
                return None
    try:
        lists = loads(b"(" + b"".join([v[_INT_SIZE + 2 : -1] for v in values]) + b"l.")
    except Exception:
        return None
    if type(lists) is not list or len(lists) != len(values):
        return None
    if not trusted:
        for value, deltas in zip(values, lists, strict=True):
            if type(deltas) is not list or len(deltas) != int.from_bytes(value[:_INT_SIZE]):
                return None
    return lists


def encode_block(
    ids: Any, weights: Any, values: list[bytes], trusted: bool = False
) -> tuple[bytes, bytes | None]:
    """One block's postings as bytes (see the module docstring): the part zlib compresses
    and, for positions, the positions kept apart (None for other values). trusted: values
    are Positions.encode's."""
    count = len(ids)
    id_width, id_bytes = _uints([b - a for a, b in itertools.pairwise(ids)])
    listed = weights.tolist() if isinstance(weights, array) else list(weights)
    whole = list(map(int, listed))
    if whole.count(1) == count and whole == listed:
        weight_code, weight_bytes = WEIGHTS_ONE, b""
    elif whole == listed and min(whole) >= 0:
        weight_code, weight_bytes = _uints(whole)
    else:
        floats = array("f", listed)
        if _BIG_ENDIAN:
            floats.byteswap()
        weight_code, weight_bytes = WEIGHTS_FLOAT, floats.tobytes()
    lists = _position_deltas(values, trusted) if values and len(values) == count else None
    flat = list(itertools.chain.from_iterable(lists)) if lists is not None else []
    if lists is not None and (not flat or min(flat) >= 0):  # deltas going back: kept raw
        counts = list(map(len, lists))
        count_width, count_bytes = _uints(counts)
        absolute = absolute_positions(np.array(counts, np.int64), np.array(flat, np.int64))
        position_width, position_bytes = _uints(absolute.tolist())
        prefix = PREFIX.pack(
            2, id_width, weight_code, VALUES_POSITIONS, count_width, position_width, ids[0]
        )
        return prefix + id_bytes + weight_bytes + count_bytes, position_bytes
    kind, value_bytes = VALUES_NONE, b""
    if values:
        kind = VALUES_RAW
        lengths = array("I", map(len, values))
        if _BIG_ENDIAN:
            lengths.byteswap()
        value_bytes = struct.pack("<I", len(values)) + lengths.tobytes() + b"".join(values)
    prefix = PREFIX.pack(1, id_width, weight_code, kind, 0, 0, ids[0])
    return prefix + id_bytes + weight_bytes + value_bytes, None


def block_data(head: bytes, positions: bytes | None, compression: int) -> tuple[int, bytes]:
    """A block's header compression byte and its data: head zlib compressed (when it is
    long enough to gain), then, for positions, SPLIT's layout."""
    comp = compression if len(head) >= MIN_COMPRESS else 0
    if comp:
        head = zlib.compress(head, comp)
    if positions is None:
        return comp, head
    return comp | SPLIT, _HEAD_SIZE.pack(len(head)) + head + positions


def read_block(data: bytes, comp: int, count: int, *, values: bool = True) -> Block:
    """A block as stored (block_data's), decoded; comp: its header's compression byte."""
    head, end = _head(data, comp)
    positions = memoryview(data)[end:] if values and comp & SPLIT else None
    return decode_block(head, count, values=values, positions=positions)


def _head(data: bytes, comp: int) -> tuple[bytes, int]:
    """A stored block's zlib stream, inflated, and where its positions begin (SPLIT)."""
    end = len(data)
    if comp & SPLIT:
        (size,) = _HEAD_SIZE.unpack_from(data)
        end = _HEAD_SIZE.size + size
        data = data[_HEAD_SIZE.size : end]
    return (zlib.decompress(data) if comp & ~SPLIT else data), end


PositionArrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def position_arrays(data: bytes, comp: int, count: int) -> PositionArrays:
    """A version 2 block (comp has SPLIT) as (ids int32, weights float32, counts,
    positions): decode_block's arrays with a third of its numpy calls, for the blocks a
    phrase reads; counts and positions are views of data, as stored."""
    head, end = _head(data, comp)
    version, id_width, weight_code, kind, count_width, value_width, first = PREFIX.unpack_from(head)
    if version != 2 or kind != VALUES_POSITIONS:
        raise ValueError(f"unknown posting block version {version} of kind {kind}")
    ids, weights, at = _ids_and_weights(
        head, count, id_width, weight_code, first, (np.int32, np.float32)
    )
    counts = np.frombuffer(head, DTYPE[count_width], count, at)
    positions = np.frombuffer(data, DTYPE[value_width], offset=end)
    return ids, weights, counts, positions


def _ids_and_weights(
    head: bytes, count: int, id_width: int, weight_code: int, first: int, types: tuple[Any, Any]
) -> tuple[np.ndarray, np.ndarray, int]:
    """A block's ids and weights (of types: their numpy types), from its inflated stream,
    and where its counts begin."""
    at = PREFIX.size
    id_type, weight_type = types
    ids = np.empty(count, dtype=id_type)
    ids[0] = 0
    np.cumsum(np.frombuffer(head, DTYPE[id_width], count - 1, at), dtype=ids.dtype, out=ids[1:])
    ids += first
    at += id_width * (count - 1)
    if weight_code == WEIGHTS_ONE:
        return ids, np.ones(count, weight_type), at
    stored = np.frombuffer(
        head, "<f4" if weight_code == WEIGHTS_FLOAT else DTYPE[weight_code], count, at
    )
    at += (4 if weight_code == WEIGHTS_FLOAT else weight_code) * count
    return ids, stored.astype(weight_type), at  # a copy: nothing keeps the stream alive


def decode_block(data: bytes, count: int, *, values: bool = True, positions: Any = None) -> Block:
    """A block's postings from its inflated data and, for version 2, the bytes of its
    positions; not values: only ids and weights (positions left undecoded)."""
    version, id_width, weight_code, kind, count_width, value_width, first = PREFIX.unpack_from(data)
    if version not in (1, 2) or (version == 2 and kind != VALUES_POSITIONS):
        raise ValueError(f"unknown posting block version {version} of kind {kind}")
    ids, weights, at = _ids_and_weights(
        data, count, id_width, weight_code, first, (np.int64, np.float64)
    )
    if not values:
        return Block(ids, weights)
    if kind == VALUES_POSITIONS:
        counts = np.frombuffer(data, DTYPE[count_width], count, at).astype(np.int64)
        total = int(counts.sum())
        if version == 2:
            if positions is None or len(positions) != total * value_width:
                raise ValueError("a posting block's positions do not match its counts")
            found = np.frombuffer(positions, DTYPE[value_width], total)
        else:
            at += count_width * count
            deltas = np.frombuffer(data, DTYPE[value_width], total, at).astype(np.int64)
            found = absolute_positions(counts, deltas)
        return Block(ids, weights, counts, found)
    if kind == VALUES_RAW:
        (number,) = struct.unpack_from("<I", data, at)
        lengths = np.frombuffer(data, "<u4", number, at + 4).tolist()
        at += 4 + 4 * number
        raw = []
        for length in lengths:
            raw.append(data[at : at + length])
            at += length
        return Block(ids, weights, raw=tuple(raw))
    return Block(ids, weights)


def absolute_positions(counts: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """Every posting's positions from its deltas (each posting's first delta is absolute)."""
    if not len(deltas):
        return deltas
    total = np.cumsum(deltas)
    ends = np.cumsum(counts)
    before = np.concatenate(([0], total))[ends - counts]  # the running sum before each one
    return total - np.repeat(before, counts)


def position_deltas(counts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """absolute_positions undone: each posting's first position, then the gaps (int64)."""
    deltas = positions.astype(np.int64)
    if len(deltas):
        deltas[1:] -= positions[:-1]
        starts = (np.cumsum(counts) - counts)[counts > 0]
        deltas[starts] = positions[starts]
    return deltas
