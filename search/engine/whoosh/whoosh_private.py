"""Every private Whoosh attribute the engine reads from outside Whoosh's own classes, in one
place, for the one Whoosh version they were written against (checked at import). Our
subclasses of Whoosh's codec and writers (codec.py, segment_writer.py) use their inherited
attributes directly."""

from __future__ import annotations

from typing import Any

import whoosh
from whoosh.codec.whoosh3 import W3TermInfo, _lenfield
from whoosh.columns import NumericColumn

PINNED = (2, 7, 4)
if tuple(whoosh.__version__) != PINNED:  # pragma: no cover - a different install
    raise ImportError(
        f"search.engine.whoosh reads private attributes of Whoosh {PINNED}, "
        f"found {whoosh.versionstring()}: check this module before changing the pin"
    )

TERMINFO_STRUCT = W3TermInfo._struct  # a term's info record in the term table


# --- A posting list's blocks (W3LeafMatcher and its subclasses) --------------------------


def block_last_id(matcher: Any) -> int:
    """The last document id of the matcher's current block."""
    return int(matcher._maxid)


def is_last_block(matcher: Any) -> bool:
    return bool(matcher._lastblock)


def next_block(matcher: Any) -> None:
    """Move the matcher to its next block's header (without reading the block)."""
    matcher._goto(matcher._nextoffset)


def block_offset(matcher: Any) -> int:
    """Where the current block's data starts in the postings file (a cache key)."""
    return int(matcher._dataoffset)


def block_bytes(matcher: Any) -> tuple[bytes, int, int]:
    """The current block's stored bytes, its compression code and its posting count."""
    start, end = matcher._dataoffset, matcher._nextoffset
    data = matcher._postfile.get(start, end - start)
    return data, matcher._compression, matcher._blocklength


def list_postings(matcher: Any) -> tuple[Any, Any, Any]:
    """A ListMatcher's (ids, weights or None, values or None)."""
    return matcher._ids, matcher._weights, matcher._values


# --- Segment readers and columns -----------------------------------------------------------


def raw_matcher(leaf: Any, fieldname: str, text: str) -> Any | None:
    """The segment reader's own matcher of a term, without deletions applied; None when the
    reader is not a Whoosh SegmentReader."""
    terms = getattr(leaf, "_terms", None)
    if terms is None:
        return None
    tbytes = leaf._text_to_bytes(fieldname, text)
    return terms.matcher(fieldname, tbytes, leaf.schema[fieldname].format)


def length_field(fieldname: str) -> str:
    """The per-document column holding a field's lengths."""
    return str(_lenfield(fieldname))


def length_column(leaf: Any, column_name: str, column: Any) -> tuple[bool, Any]:
    """(has per-document files, that column's reader or None) of a segment reader."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None:
        return False, None
    return True, perdoc._cached_reader(column_name, column)


def numeric_column_bytes(column: Any) -> tuple[bytes, str, Any] | None:
    """A numeric column reader's stored values as (big-endian bytes, typecode, default), or
    None when the reader is of another kind."""
    if type(column) is not NumericColumn.Reader or column._reverse:
        return None
    size = column._count * column._fixedlen
    raw = column._dbfile.get(column._basepos, size) if size else b""
    return raw, column._typecode, column._default


# --- Writers --------------------------------------------------------------------------------


def field_writer_files(fieldwriter: Any) -> tuple[Any, Any, int]:
    """A W3FieldWriter's postings file, term index and current field number."""
    return fieldwriter._postfile, fieldwriter._tindex, fieldwriter._fieldid


def finish_segment(writer: Any) -> Any | None:
    """A sub-writer's segment when it added documents (else its files are closed): None."""
    if writer._added:
        return writer._finalize_segment()
    writer._close_segment()
    return None


def finalize_segment(writer: Any) -> Any:
    return writer._finalize_segment()
