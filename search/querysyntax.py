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

from whoosh.query import And, AndMaybe, AndNot, Every, Or, Phrase, Query, Term

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


def unit_query(unit: Unit, fieldname: str) -> Query | None:
    """The Whoosh query for one unit on one field."""
    terms = query_terms(unit.text)
    if not terms:
        return None
    if unit.phrase and len(terms) > 1:
        return Phrase(fieldname, terms)
    queries = [_word_query(term, fieldname) for term in terms]
    return queries[0] if len(queries) == 1 else And(queries)


def recall_parts(term: str) -> list[str]:
    """The parts a query word also matches as a phrase, for texts jieba cut another way: a
    Chinese word of 3+ characters → its dictionary parts; anything else → [].

    "文明城市" → ["文明", "城市"]; "湖里" → []; "covid-19" → []
    """
    return word_parts(term) if len(term) >= 3 and _CJK.search(term) else []


def _word_query(term: str, fieldname: str) -> Query:
    """A word, or its dictionary parts in a row when the text was cut another way."""
    parts = recall_parts(term)
    if not parts:
        return Term(fieldname, term)
    return Or([Term(fieldname, term), Phrase(fieldname, parts)])


def match_query(parsed: ParsedQuery, fieldname: str) -> Query | None:
    """Documents that satisfy the query on one field; None when the query is empty."""
    if parsed.empty:
        return None
    groups = [
        q
        for q in (_any([unit_query(u, fieldname) for u in g]) for g in parsed.groups)
        if q is not None
    ]
    required: Query = (groups[0] if len(groups) == 1 else And(groups)) if groups else Every()
    excluded = _any([unit_query(u, fieldname) for u in parsed.excluded])
    return AndNot(required, excluded) if excluded is not None else required


def scored_query(parsed: ParsedQuery, fieldname: str, boost_field: str) -> Query | None:
    """match_query on fieldname, scored higher when the words are also in boost_field."""
    match = match_query(parsed, fieldname)
    if match is None or not parsed.groups:
        return match
    boost = _any([unit_query(u, boost_field) for g in parsed.groups for u in g])
    return AndMaybe(match, boost) if boost is not None else match


def highlight_terms(parsed: ParsedQuery) -> list[str]:
    """Strings to mark in results: phrases whole, and every word of the positive units."""
    terms: list[str] = []
    for unit in (u for g in parsed.groups for u in g):
        if unit.phrase:
            terms.append("".join(normalize(unit.text).split()))
        terms.extend(query_terms(unit.text))
    return terms


def _any(queries: list[Query | None]) -> Query | None:
    kept = [q for q in queries if q is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Or(kept)
