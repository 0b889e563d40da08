"""A search on a search server: the same match set, facets, sort and page as the Whoosh
engine's, asked of Elasticsearch in one request.

The query is backend.reader_query() (our query language, pre-segmented
terms), the filters are exact-value terms and a date range, the facets are terms
aggregations over the whole match set, the sort is the same 64-bit `order` key, and only the
ids come back (hits are read from the database, as with Whoosh).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from search.engine.types import FACETS, Filters, RawResult
from search.querysyntax import ParsedQuery

FACET_BUCKETS = 1000  # more outlets than a local archive meets; years and months are fewer
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"order": {"order": "desc"}}],
    "newest": [{"order": {"order": "desc"}}],
    "oldest": [{"order": {"order": "asc"}}],
}


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
    from search.engine.elasticsearch.backend import reader_query

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
