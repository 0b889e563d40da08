"""The reader's parsed query (search.querysyntax) as Whoosh queries: one unit on one field,
the match set of a query, and its scoring with the title boosted. Words of three or more
Chinese characters also match their dictionary parts as a phrase (recall_parts)."""

from __future__ import annotations

from whoosh.query import And, AndMaybe, AndNot, Every, Or, Phrase, Query, Term

from search.analysis import query_terms
from search.querysyntax import ParsedQuery, Unit, recall_parts


def unit_query(unit: Unit, fieldname: str) -> Query | None:
    """The Whoosh query for one unit on one field."""
    terms = query_terms(unit.text)
    if not terms:
        return None
    if unit.phrase and len(terms) > 1:
        return Phrase(fieldname, terms)
    queries = [_word_query(term, fieldname) for term in terms]
    return queries[0] if len(queries) == 1 else And(queries)


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


def _any(queries: list[Query | None]) -> Query | None:
    kept = [q for q in queries if q is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Or(kept)
