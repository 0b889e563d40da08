"""Publication dates from meta lines, datelines and the lead."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .types import PublishedDate

MIN_YEAR = 1990
MAX_YEAR = 2100
_MAX_TEXT = 5000  # dates live in meta lines and leads; longer texts are cut before matching

_TIME = (
    r"(?:\s*(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{2})(?:\s*[:：分]\s*(?P<second>\d{2}))?)?"
)
_CN_DIGITS = "〇零○Ｏ一二三四五六七八九"
_CN_VALUES = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "十": 10} | {
    c: i for i, c in enumerate("一二三四五六七八九", start=1)
}


@dataclass(frozen=True)
class _Found:
    """A date read from one match, before validation."""

    start: int
    year: int | None
    month: int
    day: int
    time: dt.time | None
    text: str


def _time_of(m: re.Match[str]) -> dt.time | None:
    if m.groupdict().get("hour") is None:
        return None
    hour, minute = int(m["hour"]), int(m["minute"])
    second = int(m["second"]) if m["second"] else 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def _numeric(m: re.Match[str]) -> _Found:
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    time = _time_of(m)
    text = m[0]
    if time is None and m["hour"] is not None:  # an impossible time is dropped, not the date
        text = m.string[m.start() : m.start("hour")].rstrip(" T")
    return _Found(m.start(), year, month, day, time, text.strip())


def _month_day(m: re.Match[str]) -> _Found:
    text = m.string[m.start("month") : m.end()].strip()
    return _Found(m.start(), None, int(m["month"]), int(m["day"]), _time_of(m), text)


def _cn_number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十三 → 23, 三十 → 30."""
    if "十" not in text:
        return _CN_VALUES.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_VALUES.get(tens, 0) if tens else 1) * 10 + (_CN_VALUES.get(ones, 0) if ones else 0)


def _chinese(m: re.Match[str]) -> _Found:
    year = int("".join(str(_CN_VALUES[c]) for c in m["year"]))
    month, day = _cn_number(m["month"]), _cn_number(m["day"])
    return _Found(m.start(), year, month, day, None, m[0].strip())


# (pattern, reader). Month/day-only forms are datelines or short meta lines, never any
# "9月1日起" inside a sentence: that is usually a date the story talks about.
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Found]], ...] = (
    (
        re.compile(
            r"(?<!\d)(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*"
            r"(?P<day>\d{2}(?=\d{1,2}[:：]\d{2})|\d{1,2}(?!\d))"  # 2018-05-0116:59 glued
            r"(?:[T\s]?" + _TIME + r")?"
        ),
        _numeric,
    ),
    (
        re.compile(
            r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
            + _TIME
        ),
        _numeric,
    ),
    (
        re.compile(
            rf"(?P<year>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<month>十?[一二三四五六七八九十]?)\s*月"
            rf"\s*(?P<day>[一二三]?十?[一二三四五六七八九十]?)\s*[日号]"
        ),
        _chinese,
    ),
    (
        re.compile(
            r"(?<![\d年])(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*(?=讯|电|消息|报道)"
        ),
        _month_day,
    ),
    (
        re.compile(
            r"讯\s*(?:[（(][^（）()]{0,40}[）)])?\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
        ),
        _month_day,
    ),
)
# 发布时间：10-08 12:00 (a year-less meta line, the day and time sometimes glued: 10-0812:00)
_LABELLED_MONTH_DAY = re.compile(
    r"时间\s*[:：]\s*(?P<month>\d{1,2})\s*[-/]\s*(?P<day>\d{2}(?=\d{1,2}[:：]\d{2})|\d{1,2}(?!\d))"
    + _TIME
)
# A text this short that is only a date (and a time) is a meta line: "8月20日 09:11".
_SHORT_MONTH_DAY = re.compile(
    r"^\s*(?:(?:发布|更新)?时间\s*[:：]\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    + _TIME
    + r"\s*$"
)


def _found_in(text: str) -> Iterator[_Found]:
    text = text[:_MAX_TEXT]
    found: list[_Found] = []
    for pattern, reader in _PATTERNS:
        found.extend(reader(m) for m in pattern.finditer(text))
    found.extend(_month_day(m) for m in _LABELLED_MONTH_DAY.finditer(text))
    short = _SHORT_MONTH_DAY.match(text)
    if short:
        found.append(_month_day(short))
    yield from sorted(found, key=lambda f: f.start)


def _validated(found: _Found, default_year: int | None) -> PublishedDate | None:
    year = found.year if found.year is not None else default_year
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        if found.year is not None:
            return None
        year = None  # an out-of-range default_year is not used
    try:
        dt.date(year if year is not None else 2000, found.month, found.day)  # 2000: leap year
    except ValueError:
        return None
    return PublishedDate(year, found.month, found.day, found.time, found.text)


def parse_published(
    texts: Sequence[str], *, default_year: int | None = None
) -> PublishedDate | None:
    """The first valid date in texts (meta lines first, then lead paragraphs), with its time.

    ["2021-11-13 09:11:07    来源:厦门日报"] → PublishedDate(2021, 11, 13, time(9, 11, 7))
    ["台海网8月20日讯（记者 邹玒）"], default_year=None → PublishedDate(None, 8, 20, text="8月20日")
    """
    if isinstance(texts, str):
        texts = [texts]
    for text in texts:
        if not isinstance(text, str):
            continue
        for found in _found_in(text):
            date = _validated(found, default_year)
            if date is not None:
                return date
    return None
