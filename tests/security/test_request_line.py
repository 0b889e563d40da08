# ruff: noqa: F811  (the gunicorn fixture is imported from the production tests)
"""Issue 20, point 10: a request line over the limits gets an answer the client can read.

Django answers a path + query string over REQUEST_LINE_LIMIT (4096 bytes) with 414: JSON under
/api/, an HTML page elsewhere. gunicorn's limit_request_line (8190, nginx's 8k buffer) is
higher, so those 414s reach the client through gunicorn too; only a longer line gets gunicorn's
own answer.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.integration.test_production import fetch, gunicorn  # noqa: F401

MESSAGE = "请求的网址过长：路径和查询参数合计不能超过 4096 字节，请缩短搜索词或减少筛选条件。"


def padded(path: str, length: int) -> str:
    """path?q=xxx… exactly `length` characters long (ASCII, so as many bytes)."""
    prefix = f"{path}?q="
    return prefix + "x" * (length - len(prefix))


@pytest.mark.django_db
def test_api_answers_an_over_long_line_with_json_414(client):
    response = client.get(padded("/api/search", 4097))
    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"error": MESSAGE}


@pytest.mark.django_db
def test_a_page_answers_an_over_long_line_with_an_html_414(client):
    response = client.get(padded("/search/", 4097))
    html = response.content.decode()
    assert response.status_code == 414
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<h1 id="error-title" class="page-title">网址过长</h1>' in html
    assert f"<p>{MESSAGE}</p>" in html


@pytest.mark.django_db
def test_chinese_counts_as_sent(client):
    # Percent-encoded, as browsers send it: 460 characters of 厦 are 4140 bytes (%E5%8E%A6 each).
    assert client.get("/api/search?q=" + quote("厦" * 460)).status_code == 414
    # Sent as raw UTF-8 bytes: 3 bytes each, 1300 of them are 3900 bytes, under the limit.
    assert client.get("/api/search?q=" + "厦" * 1300).status_code == 200


@pytest.mark.django_db
def test_a_line_at_the_limit_is_served(client):
    assert client.get(padded("/api/search", 4096)).status_code == 200
    assert client.get(padded("/search/", 4096)).status_code == 200


@pytest.mark.slow
def test_gunicorn_lets_django_answer_up_to_its_own_limit(gunicorn):
    base = gunicorn["url"]
    status, headers, body = fetch(base + padded("/api/search", 5000))
    assert status == 414
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"error": MESSAGE}

    status, headers, body = fetch(base + padded("/search/", 5000))
    assert status == 414
    assert MESSAGE in body.decode()

    status, _, _ = fetch(base + padded("/api/search", 4000))
    assert status == 200


@pytest.mark.slow
def test_gunicorn_refuses_a_line_over_nginx_size_itself(gunicorn):
    # "GET " + target + " HTTP/1.1" over 8190 bytes: gunicorn's own answer, Django never runs.
    status, _, body = fetch(gunicorn["url"] + padded("/api/search", 8200))
    assert status == 414
    assert b"Request Line is too large" in body
