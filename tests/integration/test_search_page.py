"""/search/: the parameters handed to the engine, and what a reader sees and can click.

Most tests replace search.query.search_articles with a fake that records the SearchParams it
was given and answers a SearchPage built from them; the last ones run the real engine.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import quote

import pytest

from search import query
from search.query import FacetValue, Hit, SearchPage, SearchParams

HULI, SIMING = quote("湖里区"), quote("思明区")
Q = quote("志愿")


class FakeEngine:
    """Stands in for search_articles: records the params, answers with canned hits and facets."""

    def __init__(self) -> None:
        self.calls: list[SearchParams] = []
        self.total = 3
        self.hits = [make_hit(1), make_hit(2), make_hit(3)]
        self.facets = {
            "district": [FacetValue("湖里区", 2), FacetValue("思明区", 1)],
            "source": [FacetValue("厦门日报", 3)],
            "year": [FacetValue("2021", 2), FacetValue("2020", 1)],
            "month": [FacetValue("2021-11", 2)],
        }

    def __call__(self, params: SearchParams) -> SearchPage:
        self.calls.append(params)
        return SearchPage(params=params, total=self.total, hits=self.hits, facets=self.facets)

    @property
    def params(self) -> SearchParams:
        """The page's own search: the first call (wider ones for facets and offers follow)."""
        assert all(c.page_size == 1 for c in self.calls[1:])
        return self.calls[0]


def make_hit(n: int, **overrides: object) -> Hit:
    fields: dict = {
        "id": n,
        "title": f"志愿服务第{n}站",
        "title_html": f"<mark>志愿</mark>服务第{n}站",
        "url": f"/articles/{n}/",
        "published": "2021-11-03T09:30:00",
        "source": "厦门日报",
        "district": "湖里区",
        "snippet": "……社区<mark>志愿</mark>者上门&lt;服务&gt;……",
    }
    fields.update(overrides)
    return Hit(**fields)


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(query, "search_articles", fake)
    return fake


def page_html(client, query_string: str = "") -> str:
    response = client.get("/search/" + query_string)
    assert response.status_code == 200
    return response.content.decode()


def hrefs(html: str, css_class: str) -> list[str]:
    """The href of every <a> whose class attribute is exactly css_class, unescaped."""
    return [unescape(h) for h in re.findall(rf'<a class="{css_class}" href="([^"]*)"', html)]


def facet_links(html: str, facet: str) -> dict[str, str]:
    """{label: href} of one facet group's links."""
    section = html.split(f'id="facet-{facet}"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(
        r'<a href="([^"]*)"[^>]*>\s*<span class="facet__label">([^<]*)</span>', section
    )
    return {unescape(label): unescape(href) for href, label in pairs}


# Parameters → SearchParams


@pytest.mark.django_db
def test_every_parameter_reaches_the_engine(client, engine):
    page_html(
        client,
        "?q=志愿+服务&district=湖里区&source=厦门日报&year=2021&month=2021-11"
        "&from=2021-11-01&to=2021-11-30&sort=oldest&page=2&page_size=50",
    )
    assert engine.params == SearchParams(
        q="志愿 服务",
        district="湖里区",
        source="厦门日报",
        year=2021,
        month="2021-11",
        date_from=dt.date(2021, 11, 1),
        date_to=dt.date(2021, 11, 30),
        sort="oldest",
        page=2,
        page_size=50,
    )


@pytest.mark.django_db
def test_defaults_relevance_with_a_keyword_newest_when_browsing(client, engine):
    page_html(client, "?q=鼓浪屿")
    page_html(client, "")
    assert engine.calls == [
        SearchParams(q="鼓浪屿", sort="relevance"),
        SearchParams(q="", sort="newest"),
    ]


@pytest.mark.django_db
def test_query_loses_nul_and_is_cut_at_200_characters(client, engine):
    page_html(client, "?q=" + quote("厦门\x00大学") + "%20" + "字" * 300)
    assert engine.params.q == "厦门大学 " + "字" * 195
    assert len(engine.params.q) == 200


@pytest.mark.django_db
def test_empty_query_with_a_filter_browses_that_filter(client, engine):
    html = page_html(client, "?district=湖里区")
    assert engine.params == SearchParams(q="", district="湖里区", sort="newest")
    assert "找到 3 篇" in html


# Results


@pytest.mark.django_db
def test_results_show_count_title_date_source_district_and_snippet(client, engine):
    html = page_html(client, "?q=志愿")
    assert "找到 3 篇" in html
    assert '<a href="/articles/2/"><mark>志愿</mark>服务第2站</a>' in html
    assert '<time datetime="2021-11-03">2021年11月3日</time>' in html
    assert '<span class="result__source">厦门日报</span>' in html
    assert '<span class="result__district">湖里区</span>' in html
    assert "……社区<mark>志愿</mark>者上门&lt;服务&gt;……" in html
    assert html.count('class="result"') == 3


@pytest.mark.django_db
def test_markup_from_readers_and_data_is_escaped(client, engine):
    engine.hits = [
        make_hit(
            7,
            title="<script>alert(1)</script>",
            title_html="<script>alert(1)</script>",
            snippet="<img src=x onerror=alert(2)>",
            source="<b>报</b>",
            district="<i>区</i>",
        )
    ]
    engine.facets = {"district": [FacetValue("<i>区</i>", 1)]}
    html = page_html(client, "?q=" + quote('<script>"x"'))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "<b>报</b>" not in html and "&lt;b&gt;报&lt;/b&gt;" in html
    assert "<i>区</i>" not in html and "&lt;i&gt;区&lt;/i&gt;" in html
    assert 'value="&lt;script&gt;&quot;x&quot;"' in html


class WiderEngine(FakeEngine):
    """Finds nothing for the full search; a wider one finds as many as its filters allow."""

    def __init__(self, counts: dict[tuple, int]) -> None:
        super().__init__()
        self.counts = counts  # (q, district, year) → total

    def __call__(self, params: SearchParams) -> SearchPage:
        self.calls.append(params)
        total = self.counts.get((params.q, params.district, params.year), 0)
        hits = [make_hit(1)] if total else []
        return SearchPage(params=params, total=total, hits=hits, facets={})


def broader_links(html: str) -> list[tuple[str, str, str]]:
    found = re.findall(
        r'<li><a href="([^"]*)">([^<]*)</a> <span class="empty__count">(\d+) 篇</span></li>', html
    )
    return [(unescape(href), unescape(label), count) for href, label, count in found]


@pytest.mark.django_db
def test_no_results_names_the_query_and_offers_each_wider_search_with_its_count(
    client, monkeypatch
):
    fake = WiderEngine({("鼓浪屿", None, 2020): 2, ("", "湖里区", 2020): 5})
    monkeypatch.setattr(query, "search_articles", fake)
    html = page_html(client, "?q=鼓浪屿&district=湖里区&year=2020")
    assert '没有找到与“<span class="empty__q">鼓浪屿</span>”相关的文章' in html
    gulangyu = quote("鼓浪屿")
    assert broader_links(html) == [  # dropping the year finds nothing, so it is not offered
        (f"/search/?q={gulangyu}&year=2020", "去掉「行政区：湖里区」", "2"),
        (f"/search/?district={HULI}&year=2020", "去掉关键词“鼓浪屿”，只按筛选条件浏览", "5"),
    ]
    assert [(c.q, c.district, c.year, c.page_size) for c in fake.calls] == [
        ("鼓浪屿", "湖里区", 2020, 20),
        ("鼓浪屿", None, 2020, 1),
        ("鼓浪屿", "湖里区", None, 1),
        ("", "湖里区", 2020, 1),
    ]
    assert "繁体、简体都能搜" in html
    assert "换用更短、更常见的词" in html
    assert "找到 0 篇" not in html


@pytest.mark.django_db
def test_no_results_for_several_words_offers_any_of_them(client, monkeypatch):
    fake = WiderEngine({("鼓浪屿 OR 火星", None, None): 3})
    monkeypatch.setattr(query, "search_articles", fake)
    html = page_html(client, "?q=鼓浪屿 火星")
    assert broader_links(html) == [
        (
            f"/search/?q={quote('鼓浪屿 OR 火星', safe='')}".replace("%20", "+"),
            "任一词即可：鼓浪屿 OR 火星",
            "3",
        )
    ]


@pytest.mark.django_db
def test_no_results_that_no_wider_search_helps_says_so(client, monkeypatch):
    fake = WiderEngine({})
    monkeypatch.setattr(query, "search_articles", fake)
    html = page_html(client, "?q=火星&district=湖里区")
    assert broader_links(html) == []
    assert "去掉筛选条件也找不到。" in html
    assert len(fake.calls) == 3  # the search, without the district, without the keyword


@pytest.mark.django_db
def test_results_without_filters_run_one_search(client, engine):
    page_html(client, "?q=鼓浪屿 火星&sort=newest&page=2")
    assert len(engine.calls) == 1


class SiblingEngine(FakeEngine):
    """The district facet lists one district per district filter; without it, all three."""

    def __call__(self, params: SearchParams) -> SearchPage:
        self.calls.append(params)
        everywhere = [FacetValue("湖里区", 2), FacetValue("思明区", 1), FacetValue("海沧区", 1)]
        districts = [v for v in everywhere if params.district in (None, v.value)]
        facets = {**self.facets, "district": districts}
        return SearchPage(params=params, total=self.total, hits=self.hits, facets=facets)


@pytest.mark.django_db
def test_a_chosen_facet_still_lists_its_siblings_with_their_counts(client, monkeypatch):
    fake = SiblingEngine()
    monkeypatch.setattr(query, "search_articles", fake)
    html = page_html(client, f"?q={Q}&district={HULI}&year=2021")
    counts = re.findall(
        r'<span class="facet__label">([^<]*)</span>\s*<span class="facet__count">(\d+)</span>', html
    )
    assert counts[:3] == [("湖里区", "2"), ("思明区", "1"), ("海沧区", "1")]
    assert facet_links(html, "district")["思明区"] == f"/search/?q={Q}&district={SIMING}&year=2021"
    # The page's search, then one of one hit per active facet: without the district, and
    # without the year (and its month).
    assert [(c.district, c.year, c.page_size) for c in fake.calls] == [
        ("湖里区", 2021, 20),
        (None, 2021, 1),
        ("湖里区", None, 1),
    ]


@pytest.mark.django_db
def test_a_page_past_the_last_offers_the_first(client, engine):
    engine.hits = []
    html = page_html(client, "?q=志愿&page=9")
    assert "第 9 页没有结果" in html
    assert f'<a href="/search/?q={Q}">回到第 1 页</a>' in html


# Facets, chips, sort, paging


@pytest.mark.django_db
def test_facet_click_adds_the_filter_and_a_second_click_removes_it(client, engine):
    links = facet_links(page_html(client, "?q=志愿&page=2"), "district")
    assert links == {
        "湖里区": f"/search/?q={Q}&district={HULI}",
        "思明区": f"/search/?q={Q}&district={SIMING}",
    }
    html = page_html(client, f"?q={Q}&district={HULI}")
    assert facet_links(html, "district") == {
        "湖里区": f"/search/?q={Q}",
        "思明区": f"/search/?q={Q}&district={SIMING}",
    }
    active = html.split('class="facet__item is-active"', 1)[1].split("</li>", 1)[0]
    assert "湖里区" in active and 'aria-current="true"' in active


@pytest.mark.django_db
def test_months_appear_with_a_year_and_leave_with_it(client, engine):
    assert 'id="facet-month"' not in page_html(client, "?q=志愿")
    html = page_html(client, "?q=志愿&year=2021")
    assert facet_links(html, "month") == {"11月": f"/search/?q={Q}&year=2021&month=2021-11"}
    html = page_html(client, "?q=志愿&year=2021&month=2021-11")
    assert facet_links(html, "year") == {
        "2021年": f"/search/?q={Q}",  # un-choosing the year drops its month too
        "2020年": f"/search/?q={Q}&year=2020",
    }


@pytest.mark.django_db
def test_active_filters_are_chips_that_remove_themselves(client, engine):
    html = page_html(client, "?q=志愿&source=厦门日报&from=2021-01-01&to=2021-12-31")
    chips = re.findall(
        r'<li class="chip"><span class="chip__label">([^<]*)</span>([^<]*)'
        r'<a class="chip__remove" href="([^"]*)"',
        html,
    )
    source, day1, day2 = quote("厦门日报"), "from=2021-01-01", "to=2021-12-31"
    assert [(label, value, unescape(href)) for label, value, href in chips] == [
        ("来源：", "厦门日报", f"/search/?q={Q}&{day1}&{day2}"),
        ("起：", "2021-01-01", f"/search/?q={Q}&source={source}&{day2}"),
        ("止：", "2021-12-31", f"/search/?q={Q}&source={source}&{day1}"),
    ]
    assert f'<a href="/search/?q={Q}">清除全部</a>' in html


@pytest.mark.django_db
def test_date_range_panel_is_open_and_summarised_only_when_a_date_is_set(client, engine):
    closed = page_html(client, "?q=志愿")
    assert '<details class="search-form__dates-panel">\n    <summary>日期范围</summary>' in closed
    opened = page_html(client, "?q=志愿&from=2021-01-01")
    assert (
        '<details class="search-form__dates-panel" open>\n'
        "    <summary>日期范围：2021-01-01 至 不限</summary>"
    ) in opened
    assert 'name="from" value="2021-01-01"' in opened


@pytest.mark.django_db
def test_year_and_month_chips_read_in_full(client, engine):
    html = page_html(client, "?year=2021&month=2021-11")
    values = re.findall(r'<li class="chip"><span class="chip__label">([^<]*)</span>([^<]*)<', html)
    assert values == [("年份：", "2021年"), ("月份：", "2021年11月")]


@pytest.mark.django_db
def test_sort_links_keep_the_filters_and_mark_the_current_one(client, engine):
    html = page_html(client, f"?q={Q}&district={HULI}&sort=newest&page=3")
    sorts = re.findall(
        r'<a href="([^"]*)"( aria-current="true" class="is-active")?>(相关度|最新|最早)</a>', html
    )
    assert [(unescape(h), bool(a), t) for h, a, t in sorts] == [
        (f"/search/?q={Q}&district={HULI}&sort=relevance", False, "相关度"),
        (f"/search/?q={Q}&district={HULI}&sort=newest", True, "最新"),
        (f"/search/?q={Q}&district={HULI}&sort=oldest", False, "最早"),
    ]
    assert (
        "相关度"
        not in page_html(client, "?district=湖里区").split('class="sort"')[1].split("</nav>")[0]
    )


@pytest.mark.django_db
def test_page_links_keep_every_filter(client, engine):
    engine.total = 250  # 13 pages of 20
    html = page_html(client, f"?q={Q}&district={HULI}&page_size=20&page=7")
    numbers = re.findall(
        r'<a href="([^"]*)"(?: aria-current="page")? aria-label="第 (\d+) 页', html
    )
    base = f"/search/?q={Q}&district={HULI}"
    assert [(unescape(h), int(n)) for h, n in numbers] == [
        (base, 1),
        (f"{base}&page=5", 5),
        (f"{base}&page=6", 6),
        (f"{base}&page=7", 7),
        (f"{base}&page=8", 8),
        (f"{base}&page=9", 9),
        (f"{base}&page=13", 13),
    ]
    assert hrefs(html, "pagination__prev") == [f"{base}&page=6"]
    assert hrefs(html, "pagination__next") == [f"{base}&page=8"]
    assert html.count('class="pagination__gap"') == 2
    assert '<ol class="results" start="121">' in html


@pytest.mark.django_db
def test_a_single_page_has_no_pagination(client, engine):
    assert 'class="pagination"' not in page_html(client, "?q=志愿")


# Bad parameters: the page says which one and searches with the rest


@pytest.mark.parametrize(
    ("query_string", "message", "dropped"),
    [
        ("month=2021-13", "月份应为 YYYY-MM 格式，例如 2021-11", "month"),
        ("month=11-2021", "月份应为 YYYY-MM 格式，例如 2021-11", "month"),
        ("from=2021-02-30", "起始日期应为 YYYY-MM-DD 格式的日期，例如 2021-11-03", "date_from"),
        ("to=yesterday", "截止日期应为 YYYY-MM-DD 格式的日期，例如 2021-11-03", "date_to"),
        ("page_size=500", "每页条数应为 1–100 之间的整数", "page_size"),
        ("page_size=abc", "每页条数应为 1–100 之间的整数", "page_size"),
        ("page=0", "页码应为不小于 1 的整数", "page"),
        ("year=21x", "年份应为 1900–2100 之间的整数", "year"),
        ("sort=random", "排序只能是 relevance（相关度）、newest（最新）或 oldest（最早）", "sort"),
    ],
)
@pytest.mark.django_db
def test_a_bad_parameter_is_named_and_ignored(client, engine, query_string, message, dropped):
    html = page_html(client, f"?q=志愿&district=湖里区&{query_string}")
    notice = html.split('class="notice notice--error" role="alert"', 1)[1].split("</div>", 1)[0]
    assert f"<li>{message}</li>" in notice
    expected = SearchParams(q="志愿", district="湖里区")
    assert engine.params == expected
    assert getattr(engine.params, dropped) == getattr(SearchParams(q="志愿"), dropped)


@pytest.mark.django_db
def test_dates_in_the_wrong_order_and_a_month_outside_its_year(client, engine):
    html = page_html(client, "?from=2021-12-01&to=2021-01-01&year=2020&month=2021-11")
    assert "<li>截止日期不能早于起始日期</li>" in html
    assert "<li>月份 2021-11 不在所选年份 2020 内</li>" in html
    assert engine.params == SearchParams(year=2020, date_from=dt.date(2021, 12, 1), sort="newest")


@pytest.mark.django_db
def test_good_parameters_show_no_error_notice(client, engine):
    assert 'role="alert"' not in page_html(client, "?q=志愿&month=2021-11&year=2021")


# The frame every reader page shares


@pytest.mark.django_db
def test_page_frame_language_landmarks_and_title(client, engine):
    html = page_html(client, "?q=鼓浪屿")
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<a class="skip-link" href="#main">跳到正文</a>' in html
    assert '<main id="main"' in html
    assert '<a class="site-name" href="/">厦门新闻检索</a>' in html
    assert '<a href="/search/" aria-current="page">检索</a>' in html
    assert '<a href="/">首页</a>' in html
    assert '<label for="search-q" class="search-form__label">关键词</label>' in html
    assert '<input id="search-q" type="search" name="q" value="鼓浪屿"' in html
    assert 'id="header-q"' not in html  # the page's own box replaces the header's
    assert "<title>鼓浪屿 - 检索 - 厦门新闻检索</title>" in html
    assert "http://" not in html and "https://" not in html  # no external resources


def test_other_pages_get_the_header_search_box(rf):
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {"header_q": "<b>"}, request=rf.get("/"))
    assert '<form class="header-search" action="/search/" method="get" role="search"' in html
    assert '<input id="header-q" type="search" name="q" value="&lt;b&gt;"' in html
    assert '<a href="/" aria-current="page">首页</a>' in html


# The real engine (these pass once search.query.search_articles is implemented)


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


DISTRICT_PINYIN = {"思明区": "siming", "湖里区": "huli", "同安区": "tongan", "翔安区": "xiangan"}


def district_named(name: str):
    """The seeded district; transactional tests flush the seed, so it is recreated when gone."""
    from articles.models import District

    slug = DISTRICT_PINYIN[name]
    return District.objects.get_or_create(
        name=name, defaults={"short_name": name[:2], "pinyin": slug.title(), "slug": slug}
    )[0]


@pytest.fixture
def real_articles(db):
    from articles.models import Article, Source

    empty_index()
    daily = Source.objects.create(name="厦门日报", slug="xmrb")
    evening = Source.objects.create(name="厦门晚报", slug="xmwb")
    huli, siming = district_named("湖里区"), district_named("思明区")
    rows = [
        ("湖里社区志愿服务队走进养老院", huli, daily, dt.date(2021, 11, 3)),
        ("思明区志愿服务进校园", siming, evening, dt.date(2021, 10, 8)),
        ("湖里区新开一条公交线路", huli, evening, dt.date(2020, 5, 1)),
    ]
    return [
        Article.objects.create(
            title=title,
            body=f"{title}。这是一篇关于厦门的报道。",
            district=district,
            source=source,
            published_date=day,
            fingerprint=f"fp-{n}",
        )
        for n, (title, district, source, day) in enumerate(rows)
    ]


@pytest.mark.django_db(transaction=True)
def test_real_engine_finds_and_highlights(client, real_articles):
    html = page_html(client, "?q=志愿服务")
    assert "找到 2 篇" in html
    assert f'href="/articles/{real_articles[0].pk}/"' in html
    assert "<mark>志愿服务</mark>" in html
    assert facet_links(html, "district") == {
        "湖里区": f"/search/?q={quote('志愿服务')}&district={HULI}",
        "思明区": f"/search/?q={quote('志愿服务')}&district={SIMING}",
    }


@pytest.mark.django_db(transaction=True)
def test_real_engine_filters_by_a_facet_and_browses_without_a_keyword(client, real_articles):
    assert "找到 1 篇" in page_html(client, "?q=志愿服务&district=湖里区")
    html = page_html(client, "?district=湖里区")
    assert "找到 2 篇" in html
    first = html.index(f'href="/articles/{real_articles[0].pk}/"')
    assert first < html.index(f'href="/articles/{real_articles[2].pk}/"')  # newest first


@pytest.mark.parametrize(
    "q", ['"志愿', "(湖里", "title:厦门", "*", "厦门\x00", "厦" * 400, "-", "OR", "<>&\"'", "%"]
)
@pytest.mark.django_db
def test_real_engine_any_query_renders_a_page(client, q):
    response = client.get("/search/", {"q": q, "district": "湖里区", "sort": "oldest"})
    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()
