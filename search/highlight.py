"""Highlighted titles and snippets: HTML-escaped text with matches wrapped in <mark>.

Matching runs on the normalized text (NFKC, 繁→简, lower case, as the analyzer sees it), so
同安區 in a query marks 同安区 in the text and IPHONE marks iPhone. Longest terms first: a
phrase 志愿服务 is marked whole before its words 志愿 and 服务, and 湖里区 before 湖里.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from html import escape

import numpy as np

from search.analysis import normalize, normalize_each

SNIPPET_CHARS = 120
_LEAD = 30  # characters of context kept before the first match of the snippet


def _normalized(text: str, *, full: bool = True) -> tuple[str, list[int] | None]:
    """The normalized text and, for each of its characters, the index in the original
    (None: the same index). Not full: only lower case, the cheap first try."""
    norm = normalize(text) if full else text.lower()
    if len(norm) == len(text):
        return norm, None
    if not full:
        return text, None
    pieces = list(map(_normalize_char, text))
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    where = np.repeat(np.arange(len(pieces)), lengths).tolist()
    return "".join(pieces), where


@lru_cache(maxsize=1 << 16)
def _normalize_char(ch: str) -> str:
    """normalize() of one character, memoized: a body has a few hundred distinct ones."""
    return normalize(ch)


def warm_up() -> None:
    """Map which characters normalize into which (~60 ms, once per process)."""
    _sources()


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the terms in text, longest term first.

    The text is tried lower-cased first (the archive is simplified already); only when no
    term is found there, and normalizing would change one of its characters, is it fully
    normalized (繁→简, NFKC) and searched again.

    find_spans("湖里区的湖里", ["湖里", "湖里区"]) → [(0, 3), (4, 6)]
    """
    if not any(t.strip() for t in terms):
        return []
    spans = _find(*_normalized(text, full=False), terms)
    if spans or not _normalizing_may_match(text, terms):
        return spans
    return _find(*_normalized(text), terms)


def _normalizing_may_match(text: str, terms: list[str]) -> bool:
    """Whether normalize() could make one of the terms appear in text.

    A match that is not there in lower case must take at least one character of a term
    from a character that normalizing changes (區 → 区, Ａ → a). Most bodies are simplified
    already and change only punctuation (，→ ,), which no term holds; so only the few
    characters that normalize into a term's characters are looked for, each with `in`.
    """
    sources, planes = _sources()
    wanted = set("".join(terms))
    if any(ch in text for ch in "".join(sources.get(ch, "") for ch in wanted)):
        return True
    # Characters beyond the planes mapped (emoji, rare ideographs), one by one.
    for ch in set(planes.findall(text)):
        out = _normalize_char(ch)
        if out != ch.lower() and not wanted.isdisjoint(out):
            return True
    return False


@lru_cache(maxsize=1)
def _sources() -> tuple[dict[str, str], re.Pattern[str]]:
    """For each character normalize() can make, the characters it makes it from (other
    than by lower case): "区" → "區…"; and a pattern for characters outside the mapped
    planes (the BMP and the compatibility ideographs), which are checked one by one."""
    chars = [chr(cp) for r in _MAPPED for cp in range(*r) if not 0xD800 <= cp < 0xE000]
    sources: dict[str, str] = {}
    for ch, out in zip(chars, normalize_each(chars), strict=True):
        if out != ch.lower():
            for made in set(out):
                sources[made] = sources.get(made, "") + ch
    unmapped = "".join(f"\\U{a:08x}-\\U{b - 1:08x}" for a, b in _UNMAPPED)
    return sources, re.compile(f"[{unmapped}]")


_MAPPED = ((0, 0x10000), (0x2F800, 0x2FA20))
_UNMAPPED = ((0x10000, 0x2F800), (0x2FA20, 0x110000))


def _find(norm: str, where: list[int] | None, terms: list[str]) -> list[tuple[int, int]]:
    taken = [False] * len(norm)
    spans = []
    for term in sorted({t for t in terms if t.strip()}, key=len, reverse=True):
        start = norm.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(term)
                spans.append((where[start], where[end - 1] + 1) if where else (start, end))
            start = norm.find(term, end)
    return sorted(spans)


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Escape text[start:end] and wrap the spans inside it in <mark>.

    mark("<b>湖里</b>", [(3, 5)]) → "&lt;b&gt;<mark>湖里</mark>&lt;/b&gt;"
    """
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight_html(text: str, terms: list[str]) -> str:
    """The whole text, escaped, with every match marked (for titles)."""
    return mark(text, find_spans(text, terms))


def snippet_html(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters around the densest cluster of matches, escaped and marked.

    Without a match it is the start of the text. Cut ends are shown with "…".
    """
    text = " ".join(text.split())
    spans = find_spans(text, terms)
    start = _best_start(spans, width) if spans else 0
    start = max(0, min(start, len(text) - width))
    end = min(len(text), start + width)
    html = mark(text, spans, start, end)
    return ("…" if start > 0 else "") + html + ("…" if end < len(text) else "")


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """Where the window of `width` characters holding the most whole spans begins: _LEAD
    characters before one of them (the first such, on a tie). Spans are sorted and do not
    overlap, so those inside a window are a run found by bisection: a body with a frequent
    term has hundreds of spans."""
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    best, best_count = spans[0][0], 0
    for s in starts:
        begin = max(0, s - _LEAD)
        count = bisect_right(ends, begin + width) - bisect_left(starts, begin)
        if count > best_count:
            best, best_count = begin, count
    return best
