"""Phrase matching on position keys (doc << 32 | position): the rarest word's keys give the
possible starts, each further word keeps those it holds, by bisection in the one block that
can hold them; decoded blocks are kept in a per-process cache."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from search.engine.whoosh import whoosh_private
from search.engine.whoosh.codec import Block, CompactLeafMatcher
from search.engine.whoosh.lru import SizedLru

SHIFT = 32  # positions and docnums stay far below 2**31
KEY_BITS = 32  # a cached block's keys: id offset and position bits together
BLOCK_CACHE_BYTES = 96 * 1024 * 1024
_EMPTY = np.zeros(0, dtype=np.int64)


class Keyed:
    """Postings with their positions as keys: ids (ascending), weights, and every posting's
    positions as keys, ascending.

    A decoded block is kept small, for the block cache: its keys are 32 bits, (id - the
    block's first id) << bits | pos, with bits enough for its highest position. A block whose
    span of ids and positions does not fit (none seen in the benchmark) keeps 64-bit keys,
    doc << SHIFT | pos, the form the search works in (global_keys)."""

    __slots__ = ("base", "bits", "first", "ids", "keys", "last", "nbytes", "weights")

    def __init__(
        self, ids: np.ndarray, weights: np.ndarray, counts: np.ndarray, positions: np.ndarray
    ) -> None:
        """positions: every posting's absolute positions, one after the other (any integer
        type: as blocks hold them)."""
        self.ids = ids.astype(np.int32, copy=False)
        self.weights = weights.astype(np.float32, copy=False)  # float32 on disk: exact
        self.base = int(ids[0]) if len(ids) else 0
        top = int(positions.max()) if len(positions) else 0
        self.bits = max(1, top.bit_length())
        span = int(ids[-1]) - self.base if len(ids) else 0
        if span.bit_length() + self.bits <= KEY_BITS:
            offsets = np.subtract(self.ids, self.base, dtype=np.uint32, casting="unsafe")
            offsets <<= self.bits
            self.keys = np.repeat(offsets, counts)
            np.add(self.keys, positions, out=self.keys, casting="unsafe")
        else:
            self.bits = 0
            self.keys = np.repeat(ids.astype(np.int64) << SHIFT, counts) + positions
        self.first = self.last = -1
        if len(self.keys):
            if counts[0] and counts[-1]:  # the first and last postings' positions
                self.first = (self.base << SHIFT) | int(positions[0])
                self.last = (int(ids[-1]) << SHIFT) | int(positions[-1])
            else:
                self.first, self.last = self._global(self.keys[[0, -1]]).tolist()
        self.nbytes = self.ids.nbytes + self.weights.nbytes + self.keys.nbytes

    @classmethod
    def of_block(cls, block: Block) -> Keyed:
        counts, positions = block.counts, block.positions
        if counts is None or positions is None:  # a field without positions: no matches
            return cls(block.ids, block.weights, np.zeros(len(block.ids), np.int64), _EMPTY)
        return cls(block.ids, block.weights, counts, positions)

    def global_keys(self) -> np.ndarray:
        """Every key as doc << SHIFT | pos (int64), ascending."""
        return self._global(self.keys)

    def _global(self, keys: np.ndarray) -> np.ndarray:
        if not self.bits:
            return keys
        keys = keys.astype(np.int64)
        return (((keys >> self.bits) + self.base) << SHIFT) | (keys & ((1 << self.bits) - 1))

    def common(self, probe: np.ndarray) -> np.ndarray:
        """The keys of probe (doc << SHIFT | pos, ascending, between first and last) that
        this block holds."""
        if len(probe) > len(self.keys):  # search the shorter array's keys in the longer
            keys = self.global_keys()
            return keys[_contains(probe, keys)]
        if not self.bits:
            return probe[_contains(self.keys, probe)]
        positions = probe & ((1 << SHIFT) - 1)
        fits = positions < (1 << self.bits)
        local = (((probe >> SHIFT) - self.base) << self.bits) | positions
        local[~fits] = 0
        return probe[fits & _contains(self.keys, local.astype(np.uint32))]

    def postings(self, wanted: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """(ids, weights, counts, positions) of the wanted documents (ascending) this holds;
        all of them when wanted is None."""
        ids = self.ids.astype(np.int64)
        rows = np.arange(len(ids)) if wanted is None else rows_of(ids, wanted)
        keys = self.global_keys()
        bounds = np.searchsorted(keys, np.stack([ids[rows], ids[rows] + 1]) << SHIFT)
        counts = bounds[1] - bounds[0]
        keys = keys[np.repeat(bounds[0], counts) + _within(counts)]
        return ids[rows], self.weights[rows].astype(np.float64), counts, keys & ((1 << SHIFT) - 1)


_BLOCKS = SizedLru(BLOCK_CACHE_BYTES)


def term_blocks(
    matcher: CompactLeafMatcher, where: tuple[str, str, str] | None, wanted: np.ndarray | None
) -> list[Keyed]:
    """A term's blocks that can hold one of wanted (ascending docnums; None: all), decoded
    and kept in the block cache under where (segment, field, term)."""
    found = []
    first = 0  # the lowest docnum the current block can hold
    end = int(wanted[-1]) if wanted is not None and len(wanted) else None
    while True:
        last = whoosh_private.block_last_id(matcher)
        if wanted is None or any_within(wanted, first, last):
            found.append(keyed_block(matcher, where))
        if whoosh_private.is_last_block(matcher) or (end is not None and last >= end):
            return found
        first = last + 1
        whoosh_private.next_block(matcher)


def keyed_block(matcher: CompactLeafMatcher, where: tuple[str, str, str] | None) -> Keyed:
    """The matcher's current block with its keys, from the block cache or decoded."""
    key = (*where, whoosh_private.block_offset(matcher)) if where is not None else None
    found = _BLOCKS.get(key) if key is not None else None
    if found is None:
        arrays = matcher.position_arrays()
        found = Keyed(*arrays) if arrays is not None else Keyed.of_block(matcher.block())
        if key is not None:
            _BLOCKS.put(key, found, found.nbytes)
    return found


def match(
    read: Callable[[int, np.ndarray], list[Keyed] | None],
    order: list[int],
    wanted: np.ndarray,
    offsets: list[int] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The documents among wanted (ascending) where the words stand in a row, and each
    word's weights in them. read(i, docs): word i's blocks that can hold one of docs (every
    such block), or None when the segment lacks it; order: the words' indexes, rarest
    first; offsets: each word's position in the phrase (default: its index; a gram covers
    two positions, so the word after it is two further on). wanted must be among the
    documents of the first word of order: its blocks' keys are then filtered only when
    those blocks hold other documents too."""
    at = offsets if offsets is not None else list(range(len(order)))
    starts = _EMPTY  # doc << SHIFT | position of the phrase's first word
    read_blocks: dict[int, list[Keyed]] = {}
    for step, i in enumerate(order):
        blocks = read(i, wanted)
        if not blocks:
            return _EMPTY, []
        read_blocks[i] = blocks
        if step == 0:
            keys = _joined([b.global_keys() for b in blocks])
            if sum(len(b.ids) for b in blocks) != len(wanted):  # not all wanted: filter
                keys = keys[_contains(wanted, keys >> SHIFT)]
            starts = keys - at[i]
        else:
            starts = _among(starts + at[i], blocks) - at[i]
        if not len(starts):
            return _EMPTY, []
        wanted = _distinct((starts + at[i]) >> SHIFT)
    weights = []
    for i in range(len(order)):
        blocks = read_blocks[i]
        ids = _joined([b.ids for b in blocks])
        found = _joined([b.weights for b in blocks])[np.searchsorted(ids, wanted)]
        weights.append(found.astype(np.float64))
    return wanted, weights


def _among(probe: np.ndarray, blocks: list[Keyed]) -> np.ndarray:
    """The keys of probe (ascending) that one of the blocks holds, ascending.

    Each probe's key in its block's terms ((doc - base) << bits | pos) is computed for all
    probes at once, so a block costs one bisection of its keys: a frequent word's phrase
    probes dozens of its blocks."""
    live = [b for b in blocks if b.first >= 0]
    if not live or not len(probe):
        return _EMPTY
    bounds = np.searchsorted(probe, [k for b in live for k in (b.first, b.last + 1)])
    starts, ends = bounds[0::2], bounds[1::2]
    sizes = ends - starts
    held = np.zeros(len(probe), dtype=bool)
    inside = np.repeat(np.arange(len(live)), sizes)  # each probe's block, in probe order
    chosen = probe[np.repeat(starts, sizes) + _within(sizes)]  # the probes, block by block
    bases = np.array([b.base for b in live], dtype=np.int64)[inside]
    bits = np.array([b.bits for b in live], dtype=np.int64)[inside]
    positions = chosen & ((1 << SHIFT) - 1)
    fits = positions < (1 << bits)  # past a block's highest position: no match (nor wrap)
    local32 = ((((chosen >> SHIFT) - bases) << bits) | positions).astype(np.uint32)
    at = 0
    for block, start, size in zip(live, starts.tolist(), sizes.tolist(), strict=True):
        if not size:
            continue
        if size > len(block.keys) or not block.bits:  # the general way
            part = probe[start : start + size]
            found = block.common(part)
            held[start + np.searchsorted(part, found)] = True
        else:
            found = _contains(block.keys, local32[at : at + size])
            held[start : start + size] = found & fits[at : at + size]
        at += size
    return probe[held]


def _within(sizes: np.ndarray) -> np.ndarray:
    """0 .. size - 1 for each of sizes, one after the other."""
    total = int(sizes.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else _EMPTY


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """np.unique of an ascending array, without its sort."""
    if len(ascending) < 2:
        return ascending
    keep = np.empty(len(ascending), dtype=bool)
    keep[0] = True
    np.not_equal(ascending[1:], ascending[:-1], out=keep[1:])
    return ascending[keep]


def rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The rows of ascending ids that are among wanted (ascending)."""
    if not len(ids):
        return _EMPTY
    inside = between(wanted, ids[0], ids[-1])
    rows = np.searchsorted(ids, inside)
    return rows[ids[rows] == inside]


def between(ascending: np.ndarray, low: int, high: int) -> np.ndarray:
    """The part of an ascending array from low to high (both included), by bisection."""
    start, end = np.searchsorted(ascending, (low, high + 1))
    return ascending[start:end]


def any_within(ascending: np.ndarray, low: int, high: int) -> bool:
    at = int(np.searchsorted(ascending, low))
    return at < len(ascending) and ascending[at] <= high


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each of values, whether the ascending array sorted_values holds it."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    where = np.searchsorted(sorted_values, values)
    return sorted_values[np.minimum(where, len(sorted_values) - 1)] == values
