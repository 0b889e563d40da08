"""Search as the views and the API see it.

search_articles(params) → SearchPage. Views (search/views.py) and the JSON API (search/api.py)
call only this; they never build SearchQuerySets themselves.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search import querysyntax
from search.engine import get_engine
from search.engine.types import FACETS, MAX_PAGE_SIZE, Filters, Sort, effective_sort, whole_days
from search.highlight import highlight_html, snippet_html


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


def search_articles(params: SearchParams) -> SearchPage:
    """Run one search: keyword query (may be empty = browse), filters, sort, one page, facets.

    Facet counts cover the whole match set after filtering. A page beyond the end has no hits
    but the right total. Relevance without a query sorts newest first.
    """
    engine = get_engine()
    generation = engine.generation()
    if generation is None:  # nothing may be cached: the engine cannot tell when it changes
        return _search(params, engine)
    key = (params, generation)
    now = time.monotonic()
    with _PAGES_LOCK:
        cached = _PAGES.get(key)
        if cached is not None and now - cached[0] < PAGE_CACHE_SECONDS:
            _PAGES.move_to_end(key)
            return cached[1]
    page = _search(params, engine)
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


def _search(params: SearchParams, engine: Any) -> SearchPage:
    parsed = querysyntax.parse(params.q)
    size = min(max(int(params.page_size), 1), MAX_PAGE_SIZE)
    page = max(int(params.page), 1)
    sort = effective_sort(params.sort, has_query=bool(parsed.groups))
    raw = engine.search(parsed, _filters(params), sort=sort, offset=(page - 1) * size, limit=size)
    terms = querysyntax.highlight_terms(parsed)
    return SearchPage(
        params=params,
        total=raw.total,
        hits=_hits(raw.django_ids, terms),
        facets={name: _facet_values(name, raw.facets.get(name, {})) for name in FACETS},
    )


def _filters(params: SearchParams) -> Filters:
    return Filters(
        district=params.district,
        source=params.source,
        year=str(params.year) if params.year is not None else None,
        month=params.month,
        published=whole_days(params.date_from, params.date_to),
    )


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
