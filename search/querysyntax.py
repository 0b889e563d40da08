"""The reader's query language, parsed without ever raising.

    湖里 文明          both words must match (each word as the analyzer cuts it)
    "志愿服务"          a phrase: these words, in this order, next to each other
    -拆迁              exclude articles containing the word (or "-" before a phrase)
    湖里 OR 集美        either side (OR binds the items left and right of it)

“curly” and 「corner」 quotes count as quotes. Anything malformed is searched as plain text:
an odd number of quotes drops every quote; brackets, colons, *, ? and other punctuation have
no meaning and are dropped by the analyzer; a dangling OR or a lone "-" is ignored; control
characters (NUL) become spaces. The query is cut to MAX_QUERY_CHARS characters and
MAX_UNITS items first, so a 5,000-character paste costs the same as a long sentence. A query
with no searchable word (only punctuation) is an empty query: the caller browses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.analysis import normalize, query_terms, word_parts

MAX_QUERY_CHARS = 200
MAX_UNITS = 16
_QUOTES = str.maketrans({c: '"' for c in "“”「」『』＂"})
_ITEM = re.compile(r'-?"[^"]*"|\S+')
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Unit:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    groups: list[list[Unit]] = field(default_factory=list)  # all groups must match; OR inside
    excluded: list[Unit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded


def parse(text: str) -> ParsedQuery:
    """Parse a query; never raises.

    '湖里 "志愿服务" -拆迁 集美 OR 海沧' → groups [[湖里], ["志愿服务"], [集美, 海沧]],
    excluded [拆迁]. '"湖里' (unbalanced) → groups [[湖里]].
    """
    text = str(text or "")[:MAX_QUERY_CHARS].translate(_QUOTES).replace("\x00", " ")
    if text.count('"') % 2:
        text = text.replace('"', " ")
    groups: list[list[Unit]] = []
    excluded: list[Unit] = []
    pending_or = False
    for item in _ITEM.findall(text)[: MAX_UNITS * 2]:
        if item == "OR":
            pending_or = bool(groups)
            continue
        negative = item.startswith("-") and len(item) > 1
        unit = _unit(item[1:] if negative else item)
        if unit is None:
            continue
        if negative:
            excluded.append(unit)
        elif pending_or:
            groups[-1].append(unit)
        else:
            groups.append([unit])
        pending_or = False
    return ParsedQuery(groups=groups[:MAX_UNITS], excluded=excluded[:MAX_UNITS])


def _unit(item: str) -> Unit | None:
    phrase = len(item) >= 2 and item.startswith('"') and item.endswith('"')
    body = item[1:-1] if phrase else item.replace('"', " ")
    if not query_terms(body):
        return None
    return Unit(body, phrase)


def recall_parts(term: str) -> list[str]:
    """The parts a query word also matches as a phrase, for texts jieba cut another way: a
    Chinese word of 3+ characters → its dictionary parts; anything else → [].

    "文明城市" → ["文明", "城市"]; "湖里" → []; "covid-19" → []
    """
    return word_parts(term) if len(term) >= 3 and _CJK.search(term) else []


def highlight_terms(parsed: ParsedQuery) -> list[str]:
    """Strings to mark in results: phrases whole, and every word of the positive units."""
    terms: list[str] = []
    for unit in (u for g in parsed.groups for u in g):
        if unit.phrase:
            terms.append("".join(normalize(unit.text).split()))
        terms.extend(query_terms(unit.text))
    return terms
