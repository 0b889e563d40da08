"""The Chinese analyzer: normalization, segmentation, stacked sub-words and positions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.analysis import (
    USER_DICT,
    ChineseAnalyzer,
    gram_cover,
    gram_marker,
    index_pieces,
    is_common,
    normalize,
    query_terms,
    read_user_dict,
    segment,
    word_parts,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("同安區", "同安区"),
        ("ＡＢＣ１２３", "abc123"),
        ("厦门\x00大学", "厦门 大学"),
        ("iPhone", "iphone"),
        ("", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_index_mode_stacks_subwords_at_the_word_position():
    pieces = [(p.text, p.pos) for p in segment("湖里区的文明城市", stacked=True)]
    assert pieces == [
        ("湖里区", 0),
        ("湖里", 0),
        ("的", 1),
        ("文明城市", 2),
        ("文明", 2),
        ("城市", 2),
    ]


def test_query_mode_is_the_precise_cut():
    assert query_terms("湖里区的文明城市") == ["湖里区", "的", "文明城市"]
    assert query_terms("志愿服务") == ["志愿", "服务"]


def test_punctuation_takes_a_position_spaces_do_not():
    assert [(p.text, p.pos) for p in segment("厦门。大学", stacked=False)] == [
        ("厦门", 0),
        ("大学", 2),
    ]
    assert [(p.text, p.pos) for p in segment("厦门 大学", stacked=False)] == [
        ("厦门", 0),
        ("大学", 1),
    ]


def test_offsets_point_into_the_normalized_text():
    assert [(p.text, p.start, p.end) for p in segment("同安區ＡＢ", stacked=False)] == [
        ("同安区", 0, 3),
        ("ab", 3, 5),
    ]


def test_user_dictionary_keeps_xiamen_names_whole():
    assert query_terms("筼筜湖畔的曾厝垵") == ["筼筜湖", "畔", "的", "曾厝垵"]
    assert ("湖里区", 20000, "ns") in read_user_dict(USER_DICT)


@pytest.mark.parametrize(
    ("word", "parts"),
    [("文明城市", ["文明", "城市"]), ("湖里区", ["湖里", "区"]), ("湖里", []), ("湖", [])],
)
def test_word_parts(word, parts):
    assert word_parts(word) == parts


def test_whoosh_analyzer_positions_by_mode():
    analyzer = ChineseAnalyzer()
    indexed = [(t.text, t.pos) for t in analyzer("厦门市湖里区", positions=True, mode="index")]
    marker = (gram_marker(), 0)
    assert indexed == [marker, ("厦门市", 0), ("厦门", 0), ("门市", 0), ("湖里区", 1), ("湖里", 1)]
    queried = [(t.text, t.pos) for t in analyzer("厦门市湖里区", positions=True, mode="query")]
    assert queried == [("厦门市", 0), ("湖里区", 1)]


def test_index_pieces_pair_common_words_into_grams_at_the_first_position():
    pieces = [(p.text, p.pos) for p in index_pieces("用我们的2014年，湖里区的文明城市")]
    assert pieces == [
        (gram_marker(), 0),
        ("用", 0), ("用\x1f我们", 0),
        ("我们", 1), ("我们\x1f的", 1),
        ("的", 2), ("的\x1f2014", 2),
        ("2014", 3), ("2014\x1f年", 3),
        ("年", 4),  # the comma takes position 5: no gram across it
        ("湖里区", 6), ("湖里", 6),  # 湖里区 is not common: no gram with 的
        ("的", 7), ("的\x1f文明", 7), ("的\x1f城市", 7),  # with each stacked common sub-word
        ("文明城市", 8), ("文明", 8), ("城市", 8),
    ]  # fmt: skip
    positions = [pos for _, pos in pieces]
    assert positions == sorted(positions)
    assert index_pieces("") == [] and index_pieces("，。") == []


def test_common_words_and_gram_cover():
    assert is_common("的") and is_common("我们") and is_common("2014") and is_common("25")
    assert not is_common("鼓浪屿") and not is_common("20141") and not is_common("湖里区")
    assert gram_cover(["用", "我们", "鼓浪屿"]) == [("用\x1f我们", 0), ("鼓浪屿", 2)]
    assert gram_cover(["鼓浪屿", "的", "我们"]) == [("鼓浪屿", 0), ("的\x1f我们", 1)]
    assert gram_cover(["2014", "年", "的"]) == [("2014\x1f年", 0), ("年\x1f的", 1)]
    assert gram_cover(["鼓浪屿", "的"]) is None and gram_cover(["厦门大学"]) is None
    assert "\x1f" not in "".join(query_terms("用\x1f我们"))  # a query cannot name a gram


def test_only_punctuation_gives_no_terms():
    assert query_terms('！？*:()[]"') == []


@given(st.text(max_size=200))
def test_any_text_segments_without_error(text):
    for piece in segment(text, stacked=True):
        assert piece.text.strip() == piece.text != ""


@given(st.text(alphabet="用我们的年2014湖里区，文明城市 ", max_size=60))
def test_grams_are_the_common_pairs_of_adjacent_positions(text):
    words = segment(text, stacked=True)
    pieces = index_pieces(text)
    assert [p.pos for p in pieces] == sorted(p.pos for p in pieces)
    at: dict[int, list[str]] = {}
    for w in words:
        at.setdefault(w.pos, []).append(w.text)
    expected = sorted(
        (f"{a}\x1f{b}", pos)
        for pos, left in at.items()
        for a in left
        for b in at.get(pos + 1, [])
        if is_common(a) and is_common(b)
    )
    grams = sorted((p.text, p.pos) for p in pieces if "\x1f" in p.text[1:])
    assert grams == expected
    assert [p for p in pieces if "\x1f" not in p.text] == words


def test_highlight_longest_first_and_escaped():
    from search.highlight import find_spans, highlight_html

    assert find_spans("湖里区的湖里", ["湖里", "湖里区"]) == [(0, 3), (4, 6)]
    assert highlight_html("<b>湖里区</b>", ["湖里"]) == "&lt;b&gt;<mark>湖里</mark>区&lt;/b&gt;"
    assert highlight_html("同安區公園", ["同安区"]) == "<mark>同安區</mark>公園"  # original kept
    assert highlight_html("iPhone维修", ["iphone"]) == "<mark>iPhone</mark>维修"
    assert highlight_html("没有匹配", []) == "没有匹配"


def test_snippet_window_around_the_match():
    from search.highlight import snippet_html

    text = "甲" * 200 + "湖里区" + "乙" * 200
    assert (
        snippet_html(text, ["湖里区"], width=40)
        == "…" + "甲" * 30 + "<mark>湖里区</mark>" + "乙" * 7 + "…"
    )
    assert snippet_html("短文 本\n第二段", []) == "短文 本 第二段"
    assert snippet_html("x" * 130, []) == "x" * 120 + "…"


def test_normalize_each_is_normalize_of_each_character():
    import random

    from search.analysis import normalize_each

    chars = [chr(cp) for cp in random.Random(7).sample(range(0x20, 0xD800), 3000)]
    chars += [*"區門廈Ａ１\n\x00㈱ﬁ", chr(0x2F800), chr(0x1D400)]
    assert normalize_each(chars) == [normalize(ch) for ch in chars]


@pytest.mark.parametrize(
    ("text", "terms", "marked"),
    [
        ("厦門大学，湖里區。", ["厦门", "湖里区"], "<mark>厦門</mark>大学，<mark>湖里區</mark>。"),
        ("ＡＢＣ公司", ["abc"], "<mark>ＡＢＣ</mark>公司"),
        ("㈱厦门", ["(株)"], "<mark>㈱</mark>厦门"),
        ("\U0002f80f兼", ["兔"], "<mark>\U0002f80f</mark>兼"),  # U+2F80F, beyond the BMP, is 兔
        ("𝐀𝐁𝐂 news", ["abc"], "<mark>𝐀𝐁𝐂</mark> news"),  # mathematical bold, beyond the BMP
        ("湖里，思明。", ["集美"], "湖里，思明。"),
    ],
)
def test_highlight_finds_terms_that_only_normalizing_shows(text, terms, marked):
    from search.highlight import highlight_html

    assert highlight_html(text, terms) == marked


@given(
    st.text(alphabet=st.sampled_from("厦門门區区湖里ＡａA，。 \U0002f80f兔𝐀a"), max_size=30),
    st.lists(st.sampled_from(["厦门", "区", "a", "兔", "湖里区", "aa"]), min_size=1, max_size=3),
)
def test_highlight_spans_the_same_as_normalizing_every_text(text, terms):
    from search import highlight

    full = highlight._find(*highlight._normalized(text), terms)
    assert highlight.find_spans(text, terms) == (
        highlight._find(*highlight._normalized(text, full=False), terms) or full
    )


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), min_size=1, max_size=40))
def test_snippet_window_holds_the_most_matches(gaps):
    """The window found by bisection is the one the plain count over every span finds."""
    from search import highlight

    spans, at = [], 0
    for gap, length in gaps:  # sorted, non-overlapping spans
        spans.append((at + gap, at + gap + length))
        at += gap + length

    def plain(spans, width):
        best, best_count = spans[0][0], 0
        for s, _ in spans:
            begin = max(0, s - highlight._LEAD)
            count = sum(1 for a, b in spans if a >= begin and b <= begin + width)
            if count > best_count:
                best, best_count = begin, count
        return best

    for width in (10, 40, 120):
        assert highlight._best_start(spans, width) == plain(spans, width)
