"""/api/search: the JSON shape of issue 3, 400 for bad parameters, GET only.

A fake replaces search.query.search_articles for the shape and the parameters; the last tests
run the real engine.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from search import query
from search.query import FacetValue, Hit, SearchPage, SearchParams

HIT = Hit(
    id=42,
    title="<b>同安</b>文明城市复查",
    title_html="&lt;b&gt;同安&lt;/b&gt;<mark>文明城市</mark>复查",
    url="/articles/42/",
    published="2021-11-13T09:11:07",
    source="厦门晚报",
    district="同安区",
    snippet="……迎接<mark>文明城市</mark>复查……",
)


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> list[SearchParams]:
    """Records each SearchParams and answers one hit with facets (month left out on purpose)."""
    calls: list[SearchParams] = []

    def fake(params: SearchParams) -> SearchPage:
        calls.append(params)
        facets = {
            "district": [FacetValue("同安区", 7), FacetValue("翔安区", 2)],
            "source": [FacetValue("厦门晚报", 9)],
            "year": [FacetValue("2021", 9)],
        }
        return SearchPage(params=params, total=9, hits=[HIT], facets=facets)

    monkeypatch.setattr(query, "search_articles", fake)
    return calls


@pytest.mark.django_db
def test_response_shape_and_values(client, engine):
    response = client.get("/api/search", {"q": "文明城市", "page": "2", "page_size": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "total": 9,
        "page": 2,
        "page_size": 1,
        "results": [
            {
                "id": 42,
                "title": "<b>同安</b>文明城市复查",
                "url": "/articles/42/",
                "published": "2021-11-13T09:11:07",
                "source": "厦门晚报",
                "district": "同安区",
                "snippet": "……迎接<mark>文明城市</mark>复查……",
            }
        ],
        "facets": {
            "district": [{"value": "同安区", "count": 7}, {"value": "翔安区", "count": 2}],
            "source": [{"value": "厦门晚报", "count": 9}],
            "year": [{"value": "2021", "count": 9}],
            "month": [],
        },
    }
    assert engine == [SearchParams(q="文明城市", page=2, page_size=1)]


@pytest.mark.django_db
def test_chinese_is_sent_as_utf8_not_escaped(client, engine):
    body = client.get("/api/search", {"q": "同安"}).content
    assert "同安区".encode() in body
    assert b"\\u" not in body


@pytest.mark.django_db
def test_a_get_may_be_cached_briefly(client, engine):
    response = client.get("/api/search", {"q": "同安"})
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
def test_all_parameters_reach_the_engine(client, engine):
    client.get(
        "/api/search",
        {
            "q": "  同安\x00 ",
            "district": "同安区",
            "source": "厦门晚报",
            "year": "2021",
            "month": "2021-11",
            "from": "2021-11-01",
            "to": "2021-11-30",
            "sort": "newest",
            "page": "3",
            "page_size": "100",
        },
    )
    assert engine == [
        SearchParams(
            q="同安",
            district="同安区",
            source="厦门晚报",
            year=2021,
            month="2021-11",
            date_from=dt.date(2021, 11, 1),
            date_to=dt.date(2021, 11, 30),
            sort="newest",
            page=3,
            page_size=100,
        )
    ]


@pytest.mark.django_db
def test_empty_parameters_count_as_absent(client, engine):
    response = client.get(
        "/api/search", {"q": "", "district": "", "year": "", "from": "", "page": ""}
    )
    assert response.status_code == 200
    assert engine == [SearchParams(q="", sort="newest")]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"month": "2021-13"}, {"month": "月份应为 YYYY-MM 格式，例如 2021-11"}),
        ({"from": "2021/11/01"}, {"from": "起始日期应为 YYYY-MM-DD 格式的日期，例如 2021-11-03"}),
        ({"to": "2021-11-31"}, {"to": "截止日期应为 YYYY-MM-DD 格式的日期，例如 2021-11-03"}),
        ({"page_size": "101"}, {"page_size": "每页条数应为 1–100 之间的整数"}),
        ({"page_size": "0"}, {"page_size": "每页条数应为 1–100 之间的整数"}),
        ({"page": "-1"}, {"page": "页码应为不小于 1 的整数"}),
        ({"year": "二〇二一"}, {"year": "年份应为 1900–2100 之间的整数"}),
        (
            {"sort": "date"},
            {"sort": "排序只能是 relevance（相关度）、newest（最新）或 oldest（最早）"},
        ),
        ({"from": "2021-12-01", "to": "2021-11-01"}, {"to": "截止日期不能早于起始日期"}),
        (
            {"month": "2021-13", "page_size": "abc"},
            {
                "month": "月份应为 YYYY-MM 格式，例如 2021-11",
                "page_size": "每页条数应为 1–100 之间的整数",
            },
        ),
    ],
)
@pytest.mark.django_db
def test_bad_parameters_give_400_naming_each_one(client, engine, params, fields):
    response = client.get("/api/search", {"q": "同安", **params})
    assert response.status_code == 400
    assert response.json() == {"error": "参数有误", "fields": fields}
    assert response["Cache-Control"] == "no-store"
    assert engine == []  # nothing searched


@pytest.mark.django_db
def test_messages_stay_chinese_whatever_the_browser_language(client, engine):
    response = client.get(
        "/api/search",
        {"month": "20\x0021-13", "district": "区" * 33, "from": "x", "page": "1.5"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["fields"] == {
        "district": "行政区名称过长",
        "month": "月份应为 YYYY-MM 格式，例如 2021-11",
        "from": "起始日期应为 YYYY-MM-DD 格式的日期，例如 2021-11-03",
        "page": "页码应为不小于 1 的整数",
    }


@pytest.mark.django_db
def test_long_and_nul_queries_are_not_errors(client, engine):
    # 400 characters: 3600 bytes on the request line, under the 4096 that get a 414.
    response = client.get("/api/search", {"q": "厦" * 400 + "\x00"})
    assert response.status_code == 200
    assert engine[0].q == "厦" * 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.django_db
def test_only_get(client, engine, method):
    response = getattr(client, method)("/api/search")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert json.loads(response.content) == {"error": "只支持 GET 请求"}


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
    evening = Source.objects.create(name="厦门晚报", slug="xmwb")
    tongan, xiangan = district_named("同安区"), district_named("翔安区")
    rows = [
        ("同安迎接文明城市复查", tongan, dt.date(2021, 11, 13)),
        ("翔安新机场文明施工", xiangan, dt.date(2021, 11, 2)),
    ]
    return [
        Article.objects.create(
            title=title,
            body=f"{title}。记者走访了现场。",
            district=district,
            source=evening,
            published_date=day,
            fingerprint=f"api-{n}",
        )
        for n, (title, district, day) in enumerate(rows)
    ]


@pytest.mark.django_db(transaction=True)
def test_real_engine_answers_with_facets(client, real_articles):
    body = client.get("/api/search", {"q": "文明"}).json()
    assert body["total"] == 2
    assert sorted(r["id"] for r in body["results"]) == sorted(a.pk for a in real_articles)
    assert sorted(body["facets"]["district"], key=lambda f: f["value"]) == [
        {"value": "同安区", "count": 1},
        {"value": "翔安区", "count": 1},
    ]
    assert body["facets"]["source"] == [{"value": "厦门晚报", "count": 2}]
    assert body["facets"]["year"] == [{"value": "2021", "count": 2}]


@pytest.mark.django_db(transaction=True)
def test_real_engine_filters_by_a_facet_display_name(client, real_articles):
    body = client.get("/api/search", {"q": "文明", "district": "翔安区", "sort": "newest"}).json()
    assert body["total"] == 1
    assert body["results"][0]["id"] == real_articles[1].pk
    assert body["results"][0]["url"] == f"/articles/{real_articles[1].pk}/"
    assert body["results"][0]["published"].startswith("2021-11-02")


@pytest.mark.django_db
def test_head_is_allowed_like_get(client, engine):
    response = client.head("/api/search", {"q": "同安"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
