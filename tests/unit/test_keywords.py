"""parse_keywords: a page's own 关键词 line → tuple of keywords."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning.metadata import parse_keywords


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("关键词: 建设 责任 文明", ("建设", "责任", "文明")),
        ("关键字：厦门,湖里;五缘湾", ("厦门", "湖里", "五缘湾")),
        ("标签：海沧 招商", ("海沧", "招商")),
        ("关键词：厦门、湖里；五缘湾，湖里", ("厦门", "湖里", "五缘湾")),
        ("【关键词】：鼓浪屿 | 旅游", ("鼓浪屿", "旅游")),
        ("Tags: 厦门 BRT", ("厦门", "BRT")),
        ("关键词：  ", ()),
        ("关键词：厦门 " + "长" * 21 + " 湖里", ("厦门", "湖里")),
        ("建设 责任", ("建设", "责任")),  # the label already cut off by the caller
        ("", ()),
        ("   ", ()),
    ],
)
def test_keywords(line: str, expected: tuple[str, ...]) -> None:
    assert parse_keywords(line) == expected


def test_keywords_never_raise_on_odd_input() -> None:
    assert parse_keywords(None) == ()  # type: ignore[arg-type]
    assert len(parse_keywords("关键词：" + " ".join(f"词{i}" for i in range(500)))) == 50


@settings(max_examples=300, deadline=None)
@given(line=st.text(max_size=300))
def test_keywords_are_short_unique_and_stripped(line: str) -> None:
    keywords = parse_keywords(line)
    assert len(keywords) == len(set(keywords))
    assert all(0 < len(k) <= 20 and k == k.strip() for k in keywords)
