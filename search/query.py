"""Search as the views and the API see it.

search_articles(params) → SearchPage. Views (search/views.py) and the JSON API (search/api.py)
call only this; they never build SearchQuerySets themselves.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from whoosh.query import DateRange, Query, Term

from search import querysyntax
from search.engine.whoosh import index as whoosh_index
from search.highlight import highlight_html, snippet_html

Sort = Literal["relevance", "newest", "oldest"]


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    district: str | None = None  # display name, e.g. 湖里区
    source: str | None = None  # display name, e.g. 厦门日报
    year: int | None = None
    month: str | None = None  # "2021-11"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass(frozen=True)
class Hit:
    id: int
    title: str  # plain text
    title_html: str  # HTML-escaped, matches wrapped in <mark>
    url: str  # /articles/<id>/
    published: str | None  # ISO 8601 date or datetime
    source: str | None
    district: str | None
    snippet: str  # HTML-escaped text, matches wrapped in <mark>


@dataclass(frozen=True)
class FacetValue:
    value: str  # display name: 湖里区, 厦门日报, "2021", "2021-11"
    count: int


@dataclass(frozen=True)
class SearchPage:
    params: SearchParams
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # district/source/year/month


MAX_PAGE_SIZE = 100


def search_articles(params: SearchParams) -> SearchPage:
    """Run one search: keyword query (may be empty = browse), filters, sort, one page, facets.

    Facet counts cover the whole match set after filtering. A page beyond the end has no hits
    but the right total. Relevance without a query sorts newest first.
    """
    from search.indexing import search_server, search_state

    server = search_server()
    if server is not None:  # Elasticsearch behind SEARCH_URL: no Whoosh state to cache on
        return _search(params, _server_runner(params, server))
    state = search_state()
    key = (params, state.current_generation())
    now = time.monotonic()
    with _PAGES_LOCK:
        cached = _PAGES.get(key)
        if cached is not None and now - cached[0] < PAGE_CACHE_SECONDS:
            _PAGES.move_to_end(key)
            return cached[1]
    page = _search(params, _whoosh_runner(params, state))
    with _PAGES_LOCK:
        _PAGES[key] = (now, page)
        while len(_PAGES) > PAGE_CACHE_SIZE:
            _PAGES.popitem(last=False)
    return page


# Whole result pages, per searcher generation: a new searcher (any index write) makes them
# unreachable; the age limit bounds how long a database-only change (a renamed outlet) can
# stay unseen, as long as the API's own Cache-Control max-age.
PAGE_CACHE_SIZE = 256
PAGE_CACHE_SECONDS = 60.0
_PAGES: OrderedDict[tuple[SearchParams, int], tuple[float, SearchPage]] = OrderedDict()
_PAGES_LOCK = threading.Lock()


# How one engine answers: (parsed query, sort, offset, limit) → match count, ids, facets.
Runner = Callable[[querysyntax.ParsedQuery, str, int, int], whoosh_index.RawResult]


def _search(params: SearchParams, run: Runner) -> SearchPage:
    parsed = querysyntax.parse(params.q)
    size = min(max(int(params.page_size), 1), MAX_PAGE_SIZE)
    page = max(int(params.page), 1)
    sort = params.sort if parsed.groups or params.sort != "relevance" else "newest"
    raw = run(parsed, sort, (page - 1) * size, size)
    terms = querysyntax.highlight_terms(parsed)
    return SearchPage(
        params=params,
        total=raw.total,
        hits=_hits(raw.django_ids, terms),
        facets={name: _facet_values(name, raw.facets.get(name, {})) for name in FACETS},
    )


def _whoosh_runner(params: SearchParams, state: whoosh_index.IndexState) -> Runner:
    def run(parsed: querysyntax.ParsedQuery, sort: str, offset: int, limit: int) -> Any:
        return whoosh_index.run(
            state,
            match=querysyntax.match_query(parsed, "text"),
            scored=querysyntax.scored_query(parsed, "text", "title"),
            filters=_filters(params),
            sort=sort,
            offset=offset,
            limit=limit,
        )

    return run


def _server_runner(params: SearchParams, backend: Any) -> Runner:
    """A search server (Elasticsearch): one request for the page, the total and the facets."""
    from search.engine.elasticsearch import query as es_query

    def run(parsed: querysyntax.ParsedQuery, sort: str, offset: int, limit: int) -> Any:
        body = es_query.request_body(
            parsed,
            exact={k: v for k, v in _exact(params).items() if v not in (None, "")},
            date_from=params.date_from,
            date_to=params.date_to,
            sort=sort,
            offset=offset,
            limit=limit,
        )
        return es_query.run(backend, body)

    return run


FACETS = ("district", "source", "year", "month")


def _exact(params: SearchParams) -> dict[str, str | None]:
    return {
        "district": params.district,
        "source": params.source,
        "year": str(params.year) if params.year is not None else None,
        "month": params.month,
    }


def _filters(params: SearchParams) -> list[Query]:
    filters: list[Query] = [Term(k, v) for k, v in _exact(params).items() if v not in (None, "")]
    if params.date_from or params.date_to:
        start = dt.datetime.combine(params.date_from, dt.time()) if params.date_from else None
        end = dt.datetime.combine(params.date_to, dt.time.max) if params.date_to else None
        filters.append(DateRange("published", start, end))
    return filters


def _hits(ids: list[int], terms: list[str]) -> list[Hit]:
    if not ids:
        return []
    by_id = {row[0]: row for row in _hit_rows(ids)}
    return [_hit(*by_id[pk], terms) for pk in ids if pk in by_id]


# Only what a hit shows, as plain rows: building 20 models with their source and district
# took twice as long as reading them.
HIT_FIELDS = ("pk", "title", "body", "published_date", "published_time")
HIT_NAMES = ("source__name", "district__name")


def _hit_queryset(ids: list[int]) -> Any:
    from articles.models import Article

    return Article.objects.filter(pk__in=ids).values_list(*HIT_FIELDS, *HIT_NAMES)


def _hit_rows(ids: list[int]) -> list[tuple[Any, ...]]:
    """The hits' rows, by a statement compiled once per thread, database and number of
    ids (a page holds 20): building and compiling the queryset was half the time of
    reading 20 rows. The database's converters (dates on SQLite) still apply."""
    from django.db import connections, router

    from articles.models import Article

    alias = router.db_for_read(Article)
    cache = _HIT_SQL.__dict__.setdefault("statements", {})
    key = (alias, len(ids))
    prepared = cache.get(key)
    if prepared is None:
        # Stand-in ids, 1..n: the statement is kept only if they come back as its parameters,
        # in order (as Django writes pk IN (%s, …)), so that the real ids can take their place.
        stand_in = list(range(1, len(ids) + 1))
        compiler = _hit_queryset(stand_in).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        prepared = cache[key] = (sql, compiler) if list(params) == stand_in else (None, None)
    sql, compiler = prepared
    if sql is None or len(set(ids)) != len(ids):
        return list(_hit_queryset(ids))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = cursor.fetchall()
    return list(compiler.results_iter(results=[rows], tuple_expected=True))


_HIT_SQL = threading.local()  # a compiler belongs to its thread's connection


def _hit(
    pk: int,
    title: str,
    body: str,
    day: dt.date | None,
    clock: dt.time | None,
    source: str | None,
    district: str | None,
    terms: list[str],
) -> Hit:
    from articles.models import Article

    published = Article.combine_published(day, clock)
    return Hit(
        id=pk,
        title=title,
        title_html=highlight_html(title, terms),
        url=Article.url_of(pk),
        published=published.isoformat() if published is not None else None,
        source=source,
        district=district,
        snippet=snippet_html(body, terms),
    )


def _facet_values(name: str, counts: Mapping[str, int]) -> list[FacetValue]:
    if name == "district":
        order = {n: i for i, n in enumerate(_district_order())}
        keys = sorted(counts, key=lambda v: (order.get(v, len(order)), -counts[v], v))
    elif name in ("year", "month"):
        keys = sorted(counts, reverse=True)
    else:
        keys = sorted(counts, key=lambda v: (-counts[v], v))
    return [FacetValue(value=k, count=counts[k]) for k in keys]


_DISTRICT_ORDER: list[tuple[str, ...]] = []


def _district_order() -> tuple[str, ...]:
    """District names in their seeded order, read once per process (once they exist)."""
    from articles.models import District

    if not _DISTRICT_ORDER:
        names = tuple(District.objects.order_by("position").values_list("name", flat=True))
        if not names:
            return names
        _DISTRICT_ORDER.append(names)
    return _DISTRICT_ORDER[0]
