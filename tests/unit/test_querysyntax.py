"""The reader's query language: parsed to units, never raising."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.engine.whoosh.queries import match_query, scored_query
from search.querysyntax import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    Unit,
    highlight_terms,
    parse,
)


@pytest.mark.parametrize(
    ("q", "groups", "excluded"),
    [
        ("湖里 文明", [[Unit("湖里")], [Unit("文明")]], []),
        ('"志愿服务"', [[Unit("志愿服务", True)]], []),
        ("“志愿 服务”", [[Unit("志愿 服务", True)]], []),
        ("湖里 -拆迁", [[Unit("湖里")]], [Unit("拆迁")]),
        ('-"拆迁安置"', [], [Unit("拆迁安置", True)]),
        ("湖里 OR 集美 文明", [[Unit("湖里"), Unit("集美")], [Unit("文明")]], []),
        ("OR 湖里 OR", [[Unit("湖里")]], []),
        ('"湖里', [[Unit("湖里")]], []),
        ("(湖里)", [[Unit("(湖里)")]], []),
        ("！？", [], []),
        ("-", [], []),
        ("", [], []),
    ],
)
def test_parse(q, groups, excluded):
    assert parse(q) == ParsedQuery(groups=groups, excluded=excluded)


def test_long_queries_are_cut():
    parsed = parse("湖里 " * 3000)
    assert len(parsed.groups) == 16
    assert len(parse("湖" * 5000).groups[0][0].text) == MAX_QUERY_CHARS


def test_whoosh_queries():
    assert str(match_query(parse("湖里 -拆迁"), "text")) == "(text:湖里 ANDNOT text:拆迁)"
    assert str(match_query(parse('"志愿服务"'), "text")) == 'text:"志愿 服务"'
    assert str(match_query(parse("文明城市"), "text")) == '(text:文明城市 OR text:"文明 城市")'
    assert str(match_query(parse("-拆迁"), "text")) == "(None:* ANDNOT text:拆迁)"
    assert match_query(parse(""), "text") is None
    assert str(scored_query(parse("湖里"), "text", "title")) == "(text:湖里 ANDMAYBE title:湖里)"


def test_highlight_terms():
    assert highlight_terms(parse('"志愿服务" 湖里區 -拆迁')) == [
        "志愿服务",
        "志愿",
        "服务",
        "湖里区",
    ]


@given(st.text(max_size=300))
def test_any_input_parses_and_builds(q):
    parsed = parse(q)
    match_query(parsed, "text")
    scored_query(parsed, "text", "title")
