"""The reader's search (search_articles: the page and the API) on Elasticsearch behind
SEARCH_URL: one request with our query, exact filters, facet aggregations, the sort key and
the page; the answer mapped back to hits read from the database. HTTP is faked as in
test_scale_out.py (there is no Elasticsearch server here)."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.models import Article, District, Source
from search.query import SearchParams, search_articles
from tests.integration import test_scale_out as scale_out
from tests.integration.test_scale_out import needs_es, requests_to

pytestmark = [
    needs_es,
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:The 'body' parameter is deprecated"),
]
fake_es = scale_out.fake_es  # the faked cluster fixture
# Every search asks for the four facets, each value with its count.
FACETS = {
    "district": {"terms": {"field": "district", "size": 1000}},
    "source": {"terms": {"field": "source", "size": 1000}},
    "year": {"terms": {"field": "year", "size": 1000}},
    "month": {"terms": {"field": "month", "size": 1000}},
}


@pytest.fixture
def story(fake_es) -> Article:
    district = District.objects.get_or_create(
        name="湖里区", defaults={"short_name": "湖里", "pinyin": "huli", "slug": "huli"}
    )[0]
    source = Source.objects.get_or_create(name="厦门日报", defaults={"slug": "xmrb"})[0]
    article = Article.objects.create(
        title="湖里区开展文明城市创建志愿服务活动",
        body="湖里区组织青年志愿服务队走进社区，开展文明城市创建宣传。",
        published_date=dt.date(2021, 3, 5),
        district=district,
        source=source,
        fingerprint="fp-es-reader",
    )
    fake_es.requests.clear()
    fake_es.search_hits = [{"_id": f"articles.article.{article.pk}", "_score": 2.0,
                            "_source": {"django_id": str(article.pk)}}]  # fmt: skip
    fake_es.aggregations = {
        "district": {"buckets": [{"key": "湖里区", "doc_count": 1}]},
        "source": {"buckets": [{"key": "厦门日报", "doc_count": 1}]},
        "year": {"buckets": [{"key": "2021", "doc_count": 1}]},
        "month": {"buckets": [{"key": "2021-03", "doc_count": 1}]},
    }
    return article


@pytest.fixture(autouse=True)
def _answer_with_aggregations(monkeypatch):
    """The fake cluster answers searches with the aggregations the test set."""
    original = scale_out.FakeElasticsearch._answer

    def answer(self, method, path, payload):
        status, data = original(self, method, path, payload)
        if path.endswith("/_search"):
            data["aggregations"] = getattr(type(self), "aggregations", {})
        return status, data

    monkeypatch.setattr(scale_out.FakeElasticsearch, "_answer", answer)


def test_search_articles_asks_the_server_once_and_reads_hits_from_the_database(fake_es, story):
    page = search_articles(
        SearchParams(q="湖里 -拆迁", district="湖里区", year=2021, sort="newest", page=2,
                     page_size=10, date_from=dt.date(2021, 1, 1))
    )  # fmt: skip
    (body,) = requests_to(fake_es, "POST", "/xiamen_test/_search")
    assert body == {
        "query": {
            "bool": {
                # 湖里 required, 拆迁 excluded, a title match ranks higher.
                "must": [
                    {
                        "bool": {
                            "must": [{"term": {"text": "湖里"}}],
                            "must_not": [{"term": {"text": "拆迁"}}],
                            "should": [{"term": {"title": "湖里"}}],
                        }
                    }
                ],
                "filter": [
                    {"term": {"django_ct": "articles.article"}},
                    {"term": {"district": "湖里区"}},
                    {"term": {"year": "2021"}},
                    {"range": {"published": {"gte": "2021-01-01T00:00:00"}}},
                ],
            }
        },
        "aggs": FACETS,
        "sort": [{"order": {"order": "desc"}}],
        "from": 10,
        "size": 10,
        "_source": ["django_id"],
        "track_total_hits": True,
    }
    assert page.total == 1
    (hit,) = page.hits
    assert (hit.id, hit.district, hit.source) == (story.pk, "湖里区", "厦门日报")
    assert "<mark>湖里</mark>" in hit.snippet
    assert [(f.value, f.count) for f in page.facets["month"]] == [("2021-03", 1)]


def test_browsing_without_a_query_matches_all_newest_first(fake_es, story):
    search_articles(SearchParams())
    (body,) = requests_to(fake_es, "POST", "/xiamen_test/_search")
    assert body == {
        "query": {
            "bool": {
                "must": [{"match_all": {}}],
                "filter": [{"term": {"django_ct": "articles.article"}}],
            }
        },
        "aggs": FACETS,
        "sort": [{"order": {"order": "desc"}}],
        "from": 0,
        "size": 20,
        "_source": ["django_id"],
        "track_total_hits": True,
    }


def test_the_api_and_the_page_answer_from_the_server(client, fake_es, story):
    data = client.get("/api/search", {"q": "湖里區"}).json()  # 繁体, folded like the index
    assert data["total"] == 1
    assert data["results"][0]["id"] == story.pk
    assert data["facets"]["district"] == [{"value": "湖里区", "count": 1}]
    (body, *_) = requests_to(fake_es, "POST", "/xiamen_test/_search")
    # 湖里區 is folded to 湖里区; a word of 3+ characters also matches its parts as a phrase.
    huli = {
        "text": {
            "bool": {
                "should": [
                    {"term": {"text": "湖里区"}},
                    {"match_phrase": {"text": {"query": "湖里 区", "analyzer": "zh_query"}}},
                ],
                "minimum_should_match": 1,
            }
        },
        "title": {
            "bool": {
                "should": [
                    {"term": {"title": "湖里区"}},
                    {"match_phrase": {"title": {"query": "湖里 区", "analyzer": "zh_query"}}},
                ],
                "minimum_should_match": 1,
            }
        },
    }
    assert body == {
        "query": {
            "bool": {
                "must": [{"bool": {"must": [huli["text"]], "should": [huli["title"]]}}],
                "filter": [{"term": {"django_ct": "articles.article"}}],
            }
        },
        "aggs": FACETS,
        "sort": ["_score", {"order": {"order": "desc"}}],  # relevance first with a query
        "from": 0,
        "size": 20,
        "_source": ["django_id"],
        "track_total_hits": True,
    }
    html = client.get("/search/", {"q": "文明城市"}).content.decode()
    assert "<mark>文明城市</mark>" in html
