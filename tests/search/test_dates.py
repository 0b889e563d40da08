"""Date ranges read from the sort key column answer exactly as Whoosh's DateRange on the
published field: whole days, open ends, times with seconds, undated articles."""

from __future__ import annotations

import datetime as dt

import pytest
from haystack import connections
from whoosh.query import DateRange

from articles.models import Article
from search import indexing
from search.engine.types import Filters
from search.engine.whoosh import index as whoosh_index

pytestmark = pytest.mark.django_db(transaction=True)

MOMENTS = [
    (dt.date(2021, 3, 4), None),
    (dt.date(2021, 3, 4), dt.time(23, 59, 59)),
    (dt.date(2021, 3, 5), dt.time(0, 0, 0)),
    (dt.date(2021, 3, 5), dt.time(0, 0, 30)),
    (dt.date(2021, 3, 5), dt.time(12, 30, 45)),
    (dt.date(2021, 12, 31), dt.time(23, 59)),
    (dt.date(2022, 1, 1), None),
    (dt.date(1999, 5, 1), dt.time(8, 0)),
    (None, None),
    (None, None),
]


@pytest.fixture
def dated(search_index):
    with indexing.batch():
        for n, (day, time) in enumerate(MOMENTS):
            Article.objects.create(
                title=f"第{n}篇 湖里区新闻",
                body="湖里区举办活动。",
                published_date=day,
                published_time=time,
                authors=[],
                keywords=[],
                fingerprint=f"fp-date-{n}",
                status="published",
            )
    backend = connections["default"].get_backend()
    return whoosh_index.get_state(backend.path, backend.schema)


def _whooshs(state, query: DateRange) -> set[int]:
    searcher = state.searcher()
    return {int(searcher.stored_fields(d)["django_id"]) for d in searcher.docs_for_query(query)}


def _ours(state, query: DateRange) -> set[int]:
    raw = whoosh_index.run(
        state,
        match=None,
        scored=None,
        filters=Filters(published=(query.startdate, query.enddate)),
        sort="newest",
        offset=0,
        limit=100,
    )
    assert raw.total == len(raw.django_ids)
    return set(raw.django_ids)


DAY_END = dt.time.max
RANGES = [
    (dt.datetime(2021, 3, 4), dt.datetime.combine(dt.date(2021, 3, 4), DAY_END)),
    (dt.datetime(2021, 3, 5), dt.datetime.combine(dt.date(2021, 3, 5), DAY_END)),
    (dt.datetime(2021, 3, 5), None),
    (None, dt.datetime.combine(dt.date(2021, 3, 4), DAY_END)),
    (dt.datetime(2021, 1, 1), dt.datetime.combine(dt.date(2021, 12, 31), DAY_END)),
    (None, None),
    (dt.datetime(2021, 3, 5, 0, 0, 15), None),  # inside a minute: Whoosh answers
    (None, dt.datetime(2021, 3, 5, 12, 30)),  # ends at a minute's start: Whoosh answers
]


@pytest.mark.parametrize("start,end", RANGES)
def test_date_ranges_answer_as_whoosh_does(dated, start, end):
    query = DateRange("published", start, end)
    expected = _whooshs(dated, query)
    assert _ours(dated, query) == expected


def test_the_column_answers_whole_day_ranges_without_whoosh(dated, monkeypatch):
    query = DateRange("published", dt.datetime(2021, 3, 5), None)
    expected = _whooshs(dated, query)
    assert len(expected) == 5  # the 5th at 00:00, 00:00:30, 12:30:45, the 31st, 2022
    searcher = dated.searcher()
    monkeypatch.setattr(type(searcher), "docs_for_query", lambda *a: pytest.fail("Whoosh"))
    dated.matches.clear()
    assert _ours(dated, query) == expected
