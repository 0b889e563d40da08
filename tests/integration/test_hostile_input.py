"""Markup and junk from every direction: titles, bodies, keywords, facet values and query
parameters. Whatever comes in is shown escaped, and no parameter gives a server error."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Source
from search import indexing
from tests.search.conftest import Spec, make_article

pytestmark = pytest.mark.django_db(transaction=True)

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def evil(search_index, transactional_db) -> Article:
    """An article whose source (a facet value), title, body and keywords all carry markup."""
    with indexing.batch():
        source = Source.objects.create(name=f"{EVIL}日报", slug="evil-daily")
        article = make_article(
            Spec("evil", f"{EVIL}湖里区志愿服务", f"湖里区志愿服务{EVIL}活动。", "湖里区", None,
                 "2022-03-01")
        )  # fmt: skip
        article.source = source
        article.keywords = [f"{EVIL}关键词"]
        article.save()
    return article


PAGES = [
    "/",
    "/search/?q=湖里",
    "/search/?q=" + quote(EVIL),
    "/search/?source=" + quote(f"{EVIL}日报"),
    "/sources/evil-daily/",
    "/districts/d1/"  # the contract fixtures' slug for 湖里区,
    "/archive/2022/",
    "/archive/2022/3/",
    "/feeds/latest/",
    "/feeds/sources/evil-daily/",
]


@pytest.mark.parametrize("url", PAGES)
def test_markup_comes_out_escaped_everywhere(client, evil, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert EVIL not in response.content.decode()


def test_article_page_escapes_every_field(client, evil):
    html = client.get(evil.get_absolute_url()).content.decode()
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;湖里区志愿服务" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;日报" in html


def test_markup_facet_value_filters_and_is_escaped(client, evil):
    response = client.get("/api/search", {"source": f"{EVIL}日报"})
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert [r["id"] for r in data["results"]] == [evil.pk]
    assert data["facets"]["source"] == [{"value": f"{EVIL}日报", "count": 1}]  # JSON, not HTML
    html = client.get("/search/", {"q": "志愿服务"}).content.decode()
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;日报" in html
    assert "<mark>" in html


BAD_API_PARAMS = [
    {"page": "0"},
    {"page": "-1"},
    {"page": "99999999999999999999999"},
    {"page": "abc"},
    {"page_size": "101"},
    {"page_size": "0"},
    {"year": "20x1"},
    {"year": "99999"},
    {"month": "2021-13"},
    {"month": "2021-1"},
    {"from": "2021-02-30"},
    {"to": "yesterday"},
    {"sort": "random"},
    {"from": "2022-01-02", "to": "2022-01-01"},
]


@pytest.mark.parametrize("params", BAD_API_PARAMS, ids=[json.dumps(p) for p in BAD_API_PARAMS])
def test_out_of_range_api_parameters_give_400_with_json(client, evil, params):
    response = client.get("/api/search", params)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("params", BAD_API_PARAMS, ids=[json.dumps(p) for p in BAD_API_PARAMS])
def test_out_of_range_page_parameters_never_give_500(client, evil, params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 400)
    assert EVIL not in response.content.decode()


JUNK = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["q", "district", "source", "year", "month", "from", "to", "sort",
                          "page", "page_size"]),
    value=JUNK,
)  # fmt: skip
def test_any_value_of_any_parameter_is_answered_without_a_server_error(client, evil, name, value):
    value = value.replace("\x00", "")  # the test client refuses NUL in a URL; the query parser
    # takes NUL itself (tests/unit/test_querysyntax.py)
    for url in ("/api/search", "/search/"):
        response = client.get(url, {name: value})
        assert response.status_code in (200, 400), (url, name, value)
        if url == "/api/search" and response.status_code == 200:
            assert set(response.json()) == {"total", "page", "page_size", "results", "facets"}


@pytest.mark.parametrize(
    "url",
    ["/districts/<b>/", "/sources/%3Cscript%3E/", "/archive/0/", "/archive/2022/13/",
     "/articles/99999999999999999999/", "/feeds/districts/nowhere/"],
)  # fmt: skip
def test_unknown_pages_are_404_not_500(client, evil, url):
    response = client.get(url)
    assert response.status_code == 404
    assert EVIL not in response.content.decode()
