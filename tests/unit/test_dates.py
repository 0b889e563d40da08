"""parse_published: meta lines, datelines and leads → PublishedDate."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning.metadata import parse_published
from articles.cleaning.types import PublishedDate

T = dt.time


@pytest.mark.parametrize(
    ("texts", "default_year", "expected"),
    [
        (
            ["2021-11-13 09:11:07    来源:厦门日报"],
            None,
            PublishedDate(2021, 11, 13, T(9, 11, 7), "2021-11-13 09:11:07"),
        ),
        (
            ["2021年11月13日 09:11"],
            None,
            PublishedDate(2021, 11, 13, T(9, 11), "2021年11月13日 09:11"),
        ),
        (["发布时间：2021-11-13"], None, PublishedDate(2021, 11, 13, None, "2021-11-13")),
        (["2021/11/13"], None, PublishedDate(2021, 11, 13, None, "2021/11/13")),
        (["2021.11.13"], None, PublishedDate(2021, 11, 13, None, "2021.11.13")),
        (
            ["2021-11-13T09:11:07+08:00"],
            None,
            PublishedDate(2021, 11, 13, T(9, 11, 7), "2021-11-13T09:11:07"),
        ),
        (
            ["厦门新闻 video2018-05-0116:59"],
            None,
            PublishedDate(2018, 5, 1, T(16, 59), "2018-05-0116:59"),
        ),
        (["2016 年 11 月 5 日"], None, PublishedDate(2016, 11, 5, None, "2016 年 11 月 5 日")),
        (
            ["二〇二一年十一月十三日"],
            None,
            PublishedDate(2021, 11, 13, None, "二〇二一年十一月十三日"),
        ),
        (
            ["二〇二〇年三月二十一日"],
            None,
            PublishedDate(2020, 3, 21, None, "二〇二〇年三月二十一日"),
        ),
        (["台海网8月20日讯（记者 邹玒）昨日"], None, PublishedDate(None, 8, 20, None, "8月20日")),
        (["台海网8月20日讯（记者 邹玒）昨日"], 2021, PublishedDate(2021, 8, 20, None, "8月20日")),
        (["厦门网讯（记者 张三）3月5日，湖里区"], 2024, PublishedDate(2024, 3, 5, None, "3月5日")),
        (["新华社厦门3月5日电 记者"], None, PublishedDate(None, 3, 5, None, "3月5日")),
        (["8月20日 09:11"], None, PublishedDate(None, 8, 20, T(9, 11), "8月20日 09:11")),
        (
            ["本报讯 2024年3月5日，湖里区召开会议。"],
            None,
            PublishedDate(2024, 3, 5, None, "2024年3月5日"),
        ),
    ],
)
def test_date_forms(texts: list[str], default_year: int | None, expected: PublishedDate) -> None:
    assert parse_published(texts, default_year=default_year) == expected


def test_first_text_wins_over_later_dates() -> None:
    texts = ["2021-11-13 09:11:07 来源:厦门日报", "台海网8月20日讯 2020年1月1日起施行"]
    assert parse_published(texts, default_year=2019) == PublishedDate(
        2021, 11, 13, T(9, 11, 7), "2021-11-13 09:11:07"
    )


def test_earliest_date_in_a_text_wins() -> None:
    date = parse_published(["台海网8月20日讯 自2020年1月1日起施行"], default_year=2021)
    assert date == PublishedDate(2021, 8, 20, None, "8月20日")


def test_iso_output_keeps_seconds_only_when_given() -> None:
    with_seconds = parse_published(["2021-11-13 09:11:07"])
    without = parse_published(["2021年11月13日 09:11"])
    assert with_seconds is not None and with_seconds.isoformat() == "2021-11-13T09:11:07"
    assert without is not None and without.isoformat() == "2021-11-13T09:11:00"


@pytest.mark.parametrize(
    "texts",
    [
        ["2021年2月30日"],
        ["2021-13-01"],
        ["1985年3月1日"],
        ["2101-01-01"],
        ["今年9月1日起，新规施行。"],  # a date the story talks about, not a dateline
        ["本报讯（记者 张三）"],
        [],
        [""],
        ["None"],
        ["\x00\ufffd<>%%%"],
        ["9" * 100_000],
    ],
)
def test_no_date(texts: list[str]) -> None:
    assert parse_published(texts, default_year=2021) is None


def test_invalid_date_is_skipped_for_the_next_valid_one() -> None:
    assert parse_published(["2021年2月30日", "2021年3月1日"]) == PublishedDate(
        2021, 3, 1, None, "2021年3月1日"
    )


def test_leap_day_needs_a_leap_default_year() -> None:
    assert parse_published(["东南网2月29日讯"], default_year=2021) is None
    assert parse_published(["东南网2月29日讯"], default_year=2024) == PublishedDate(
        2024, 2, 29, None, "2月29日"
    )
    assert parse_published(["东南网2月29日讯"]) == PublishedDate(None, 2, 29, None, "2月29日")


def test_bad_time_keeps_the_date() -> None:
    assert parse_published(["2021-11-13 25:61"]) == PublishedDate(2021, 11, 13, None, "2021-11-13")


def test_out_of_range_default_year_is_not_used() -> None:
    assert parse_published(["台海网8月20日讯"], default_year=1800) == PublishedDate(
        None, 8, 20, None, "8月20日"
    )


def test_non_string_items_are_ignored() -> None:
    assert parse_published([None, 5, "2021/11/13"]) == PublishedDate(  # type: ignore[list-item]
        2021, 11, 13, None, "2021/11/13"
    )


def test_a_bare_string_is_one_text() -> None:
    assert parse_published("2021/11/13") == PublishedDate(2021, 11, 13, None, "2021/11/13")


_DATEISH = st.text(alphabet="0123456789年月日号讯电时分:：-/. 〇一二三十台海网本报", max_size=60)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.text(max_size=200), _DATEISH), max_size=5))
def test_never_raises_and_dates_are_valid(texts: list[str]) -> None:
    date = parse_published(texts, default_year=2021)
    if date is not None:
        assert date.year is None or 1990 <= date.year <= 2100
        assert date.to_date() is not None or date.year is None
