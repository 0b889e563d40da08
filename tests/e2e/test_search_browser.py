"""The search page in real Chromium: search, filter by a district facet, remove the filter.

Runs twice: against a small in-memory engine (tests the page alone) and against the real
engine with articles created through the ORM (passes once search_articles is implemented).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import quote

import pytest

from search import query
from search.query import FacetValue, Hit, SearchPage, SearchParams

ROWS = [  # title, district, source, date
    ("湖里社区志愿服务队走进养老院", "湖里区", "厦门日报", dt.date(2021, 11, 3)),
    ("湖里区志愿服务站点上新", "湖里区", "厦门晚报", dt.date(2021, 9, 20)),
    ("思明区志愿服务进校园", "思明区", "厦门晚报", dt.date(2021, 10, 8)),
    ("海沧湾公园周末音乐会", "海沧区", "厦门网", dt.date(2021, 8, 1)),
]

SLUGS = {"厦门日报": "xmrb", "厦门晚报": "xmwb", "厦门网": "xmnews"}

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def tiny_engine(params: SearchParams) -> SearchPage:
    """Substring search over ROWS with the district filter, enough to drive the page."""
    rows = [r for r in ROWS if params.q in r[0] and params.district in (None, r[1])]
    hits = [
        Hit(
            id=n,
            title=title,
            title_html=title.replace(params.q, f"<mark>{params.q}</mark>") if params.q else title,
            url=f"/articles/{n}/",
            published=day.isoformat(),
            source=source,
            district=district,
            snippet=title,
        )
        for n, (title, district, source, day) in enumerate(rows, start=1)
    ]
    counts = Counter(r[1] for r in rows)
    facets = {"district": [FacetValue(v, c) for v, c in counts.most_common()]}
    return SearchPage(params=params, total=len(hits), hits=hits, facets=facets)


def empty_index() -> None:
    """Drop every document: transactional tests flush the database but not the index."""
    from haystack import connections
    from whoosh.query import Every

    backend = connections["default"].get_backend()
    backend.clear()
    if backend.state.index.doc_count():  # clear() parses "*" to a null query, see report
        writer = backend.state.index.writer(timeout=10.0)
        writer.delete_by_query(Every())
        writer.commit()


DISTRICT_PINYIN = {"思明区": "siming", "湖里区": "huli", "海沧区": "haicang"}


def district_named(name: str):
    """The seeded district; transactional tests flush the seed, so it is recreated when gone."""
    from articles.models import District

    slug = DISTRICT_PINYIN[name]
    return District.objects.get_or_create(
        name=name, defaults={"short_name": name[:2], "pinyin": slug.title(), "slug": slug}
    )[0]


def create_articles() -> None:
    from articles.models import Article, Source

    empty_index()
    for n, (title, district, source, day) in enumerate(ROWS):
        Article.objects.create(
            title=title,
            body=f"{title}。记者在现场看到，居民反响热烈。",
            district=district_named(district),
            source=Source.objects.get_or_create(name=source, slug=SLUGS[source])[0],
            published_date=day,
            fingerprint=f"e2e-{n}",
        )


@pytest.fixture(params=["tiny", "real"])
def engine(request, monkeypatch):
    if request.param == "tiny":
        monkeypatch.setattr(query, "search_articles", tiny_engine)
    else:
        create_articles()
    return request.param


@pytest.mark.django_db(transaction=True)
def test_search_then_filter_by_district_then_remove_it(live_server, engine, page):
    page.goto(f"{live_server.url}/search/?q={quote('志愿服务')}")
    count = page.locator(".results-count")
    assert count.inner_text() == "找到 3 篇"
    assert page.locator(".result").count() == 3
    assert page.locator(".result__title mark").first.inner_text() == "志愿服务"

    page.locator("#facet-district + ul a", has_text="湖里区").click()
    assert count.inner_text() == "找到 2 篇"
    chip = page.locator(".chip")
    assert chip.inner_text().replace("\n", "") == "行政区：湖里区×"
    assert page.locator(".facet__item.is-active .facet__label").inner_text() == "湖里区"
    assert page.locator("#search-q").input_value() == "志愿服务"

    chip.get_by_role("link", name="去掉行政区：湖里区").click()
    assert count.inner_text() == "找到 3 篇"
    assert page.locator(".chip").count() == 0
    assert page.url == f"{live_server.url}/search/?q={quote('志愿服务')}"


@pytest.mark.django_db(transaction=True)
def test_phone_width_folds_the_filters(live_server, page):
    from unittest import mock

    with mock.patch.object(query, "search_articles", tiny_engine):
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/search/?q={quote('志愿服务')}")
        facet_link = page.locator("#facet-district + ul a", has_text="湖里区")
        assert not facet_link.is_visible()
        page.locator(".facets-panel__summary").click()
        assert facet_link.is_visible()
        box = page.locator(".search-results").bounding_box()
        assert box is not None and box["width"] <= 390
        assert not page.locator("#search-from").is_visible()  # the date range is folded too
        page.locator(".search-form__dates-panel > summary").click()
        assert page.locator("#search-from").is_visible()
        page.set_viewport_size({"width": 1280, "height": 900})  # wide again: both unfold
        assert facet_link.is_visible()
        assert page.locator("#search-from").is_visible()
        assert not page.locator(".search-form__dates-panel > summary").is_visible()


@pytest.mark.django_db(transaction=True)
def test_empty_results_offer_wider_searches_that_work(live_server, engine, page):
    page.goto(f"{live_server.url}/search/?q={quote('志愿服务')}&district={quote('海沧区')}")
    assert page.locator(".empty h2").inner_text() == "没有找到与“志愿服务”相关的文章"
    offers = page.locator(".empty__drops li")
    assert [" ".join(t.split()) for t in offers.all_inner_texts()] == [
        "去掉「行政区：海沧区」 3 篇",
        "去掉关键词“志愿服务”，只按筛选条件浏览 1 篇",
    ]
    offers.get_by_role("link", name="去掉「行政区：海沧区」").click()
    assert page.locator(".results-count").inner_text() == "找到 3 篇"
    assert page.url == f"{live_server.url}/search/?q={quote('志愿服务')}"
