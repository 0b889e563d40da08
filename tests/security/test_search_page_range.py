# ruff: noqa: F811  (the fake engine fixture is imported from the search page tests)
"""Issue 20, point 10: a page number past the last names the pages there are."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.integration.test_search_page import engine, page_html  # noqa: F401

Q = quote("志愿")


@pytest.mark.django_db
def test_a_page_past_the_last_names_the_valid_range(client, engine):
    engine.hits, engine.total = [], 41  # 3 pages of 20
    html = page_html(client, "?q=志愿&page=9")
    assert (
        '<p class="empty__range">第 9 页不存在：共 3 页，请选择第 1–3 页（共找到 41 篇）。</p>'
        in html
    )
    assert f'<a href="/search/?q={Q}">回到第 1 页</a>' in html
    assert f'<a href="/search/?q={Q}&amp;page=3">最后一页</a>' in html


@pytest.mark.django_db
def test_a_page_past_the_only_page_says_there_is_one(client, engine):
    engine.hits, engine.total = [], 3
    html = page_html(client, "?q=志愿&page_size=50&page=2")
    assert (
        '<p class="empty__range">第 2 页不存在：只有 1 页，请回到第 1 页（共找到 3 篇）。</p>'
        in html
    )
    assert "最后一页" not in html
