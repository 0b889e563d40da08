"""What crosses the engine seam, and the constants the engines and the pages share.

Filters are neutral data (facet values and whole-day dates); each engine turns them into its
own query. RawResult is one page's answer: the match count, the page's article ids and the
facet counts over the whole match set. Sort keys: one 64-bit integer per article, ordering
by publication minute and then by id.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

FACETS = ("district", "source", "year", "month")  # exact-value fields counted per search
MAX_PAGE_SIZE = 100  # hits per page, at most
Sort = Literal["relevance", "newest", "oldest"]
BROWSE_SORT: Sort = "newest"  # how results are ordered without a query


def effective_sort(sort: Sort, *, has_query: bool) -> Sort:
    """The order a search uses: relevance needs a query, so browsing sorts BROWSE_SORT.

    ("relevance", has_query=False) → "newest"; ("oldest", has_query=False) → "oldest"
    """
    return sort if has_query or sort != "relevance" else BROWSE_SORT


def default_sort(*, has_query: bool) -> Sort:
    """The sort a search form starts with: relevance for a query, else BROWSE_SORT."""
    return "relevance" if has_query else BROWSE_SORT


@dataclass(frozen=True)
class Filters:
    """Exact facet values (display names: 湖里区, 厦门日报, "2021", "2021-11") and a range of
    publication times, both ends included (None: open). None or "" means no filter.

    Filters(district="湖里区", published=(2021-03-01 00:00, None)) → 湖里区 from March 2021 on
    """

    district: str | None = None
    source: str | None = None
    year: str | None = None
    month: str | None = None
    published: tuple[dt.datetime | None, dt.datetime | None] | None = None

    def exact(self) -> dict[str, str]:
        """The facet filters that are set: {"district": "湖里区"}."""
        values = {name: getattr(self, name) for name in FACETS}
        return {name: value for name, value in values.items() if value not in (None, "")}

    def __bool__(self) -> bool:
        return bool(self.exact()) or self.published is not None


def whole_days(
    first: dt.date | None, last: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """A range of days as Filters.published: from the first instant of the first day to the
    last instant of the last; None when neither is given.

    (2021-03-01, 2021-03-31) → (2021-03-01 00:00, 2021-03-31 23:59:59.999999)
    """
    if not (first or last):
        return None
    start = dt.datetime.combine(first, dt.time()) if first else None
    end = dt.datetime.combine(last, dt.time.max) if last else None
    return start, end


@dataclass
class RawResult:
    total: int
    django_ids: list[int]
    facets: dict[str, Counter[str]] = field(default_factory=dict)


# --- Sort keys -------------------------------------------------------------------------------

ID_SPAN = 10**9  # ids below this share a minute's key range


def minute_key(moment: dt.datetime) -> int:
    """The sort key of the first article published in moment's minute (id 0).

    2021-11-03 09:30 → (738097 * 1440 + 570) * 10**9
    """
    minutes = moment.date().toordinal() * 1440 + moment.hour * 60 + moment.minute
    return minutes * ID_SPAN


def order_range(start: dt.datetime | None, end: dt.datetime | None) -> tuple[int, int] | None:
    """The sort keys of the articles published from start to end (both included), when the
    bounds are whole minutes (start at :00, end at :59.999999, as date filters make them):
    a date range read from the sort keys instead of the published field's terms.
    None when a bound falls inside a minute (the key drops seconds). Undated articles (keys
    below ID_SPAN) are never in a range."""
    if start is not None and (start.second, start.microsecond) != (0, 0):
        return None
    if end is not None and (end.second, end.microsecond) != (59, 999_999):
        return None
    low = minute_key(start) if start is not None else minute_key(dt.datetime.min)
    high = minute_key(end) + ID_SPAN - 1 if end is not None else 2**63 - 1
    return low, high
