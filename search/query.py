"""Search as the views and the API see it. OWNER: search helper (interface fixed, body TBD).

search_articles(params) → SearchPage. Views (search/views.py) and the JSON API (search/api.py)
call only this; they never build SearchQuerySets themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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


def search_articles(params: SearchParams) -> SearchPage:
    """Run one search: keyword query (may be empty = browse), filters, sort, one page, facets."""
    return SearchPage(params=params, total=0, hits=[], facets={})
