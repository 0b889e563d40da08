"""A search on a search server: the same match set, facets, sort and page as the Whoosh
engine's, asked of Elasticsearch in one request.

The query is reader_query() (our query language, pre-segmented
terms), the filters are exact-value terms and a date range, the facets are terms
aggregations over the whole match set, the sort is the same 64-bit `order` key, and only the
ids come back (hits are read from the database, as with Whoosh).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from search.analysis import query_terms
from search.engine.types import FACETS, Filters, RawResult
from search.querysyntax import ParsedQuery, Unit, recall_parts

SEARCH_ANALYZER = "zh_query"  # the query-side analyzer in the index settings (backend.ANALYSIS)
FACET_BUCKETS = 1000  # more outlets than a local archive meets; years and months are fewer
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"order": {"order": "desc"}}],
    "newest": [{"order": {"order": "desc"}}],
    "oldest": [{"order": {"order": "asc"}}],
}


# --- The reader's query language as Elasticsearch DSL ----------------------------------------


def unit_query(unit: Unit, field: str) -> dict[str, Any] | None:
    """The Whoosh engine's queries.unit_query() in Elasticsearch DSL."""
    terms = query_terms(unit.text)
    if not terms:
        return None
    if unit.phrase and len(terms) > 1:
        return _phrase(field, terms)
    words = [_word_query(term, field) for term in terms]
    return words[0] if len(words) == 1 else {"bool": {"must": words}}


def _word_query(term: str, field: str) -> dict[str, Any]:
    parts = recall_parts(term)
    word = {"term": {field: term}}
    if not parts:
        return word
    return {"bool": {"should": [word, _phrase(field, parts)], "minimum_should_match": 1}}


def _phrase(field: str, terms: list[str]) -> dict[str, Any]:
    return {"match_phrase": {field: {"query": " ".join(terms), "analyzer": SEARCH_ANALYZER}}}


def _any(queries: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    kept = [q for q in queries if q is not None]
    if len(kept) <= 1:
        return kept[0] if kept else None
    return {"bool": {"should": kept, "minimum_should_match": 1}}


def reader_query(
    parsed: ParsedQuery, *, field: str = "text", boost_field: str = "title"
) -> dict[str, Any]:
    """The Whoosh engine's queries.scored_query() for Elasticsearch: the groups must match on field (OR inside
    a group), excluded units must not, and matches in boost_field score higher. An empty
    query matches everything.

    parse("湖里 -拆迁") → {"bool": {"must": [{"term": {"text": "湖里"}}],
                                   "must_not": [{"term": {"text": "拆迁"}}],
                                   "should": [{"term": {"title": "湖里"}}]}}
    """
    groups = [q for q in (_any([unit_query(u, field) for u in g]) for g in parsed.groups) if q]
    excluded = [q for q in (unit_query(u, field) for u in parsed.excluded) if q]
    if not groups and not excluded:
        return {"match_all": {}}
    query: dict[str, Any] = {"must": groups or [{"match_all": {}}]}
    if excluded:
        query["must_not"] = excluded
    boost = _any([unit_query(u, boost_field) for g in parsed.groups for u in g])
    if boost is not None:
        query["should"] = [boost]
    return {"bool": query}


def request_body(
    parsed: ParsedQuery,
    filters: Filters,
    *,
    sort: str,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """The search request for one page with facet counts.

    Filters(district="湖里区") → a term filter on the keyword field district.
    """
    terms: list[dict[str, Any]] = [{"term": {"django_ct": "articles.article"}}]
    terms += [{"term": {name: value}} for name, value in filters.exact().items()]
    dates = filters.published
    if dates is not None:
        bounds: dict[str, str] = {}
        if dates[0] is not None:
            bounds["gte"] = dates[0].isoformat()
        if dates[1] is not None:
            bounds["lte"] = dates[1].isoformat()
        terms.append({"range": {"published": bounds}})
    return {
        "query": {"bool": {"must": [reader_query(parsed)], "filter": terms}},
        "aggs": {f: {"terms": {"field": f, "size": FACET_BUCKETS}} for f in FACETS},
        "sort": SORTS[sort],
        "from": offset,
        "size": limit,
        "_source": ["django_id"],
        "track_total_hits": True,
    }


def run(backend: Any, body: dict[str, Any]) -> RawResult:
    """Send the request through the Haystack backend's client; errors raise (never silent)."""
    if not backend.setup_complete:
        backend.setup()
    answer = backend.conn.search(index=backend.index_name, body=body)
    hits = answer["hits"]
    total = hits["total"]["value"] if isinstance(hits["total"], dict) else hits["total"]
    aggregations = answer.get("aggregations", {})
    facets = {
        name: Counter({str(b["key"]): b["doc_count"] for b in aggregations[name]["buckets"]})
        for name in FACETS
        if name in aggregations
    }
    ids = [int(hit["_source"]["django_id"]) for hit in hits["hits"]]
    return RawResult(total=int(total), django_ids=ids, facets=facets)
