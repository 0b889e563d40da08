"""The values the cleaner produces. Frozen dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Author:
    """A credited person: 记者 罗子泓 → Author(role="记者", name="罗子泓")."""

    name: str
    role: str = ""  # 记者, 通讯员, 摄影, 作者, 编辑 …

    def __str__(self) -> str:
        return f"{self.role} {self.name}".strip()


@dataclass(frozen=True)
class PublishedDate:
    """A date as far as the page tells it. year is None when the page gave none (never invented)."""

    year: int | None
    month: int
    day: int
    time: dt.time | None = None
    text: str = ""  # the words it was read from, e.g. "8月20日"

    def to_date(self) -> dt.date | None:
        if self.year is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def isoformat(self) -> str | None:
        """ISO 8601 date, or date and time; None when the year is unknown."""
        day = self.to_date()
        if day is None:
            return None
        if self.time is None:
            return day.isoformat()
        return dt.datetime.combine(day, self.time).isoformat()


_FINGERPRINT_DROP = re.compile(r"[\W_]+", re.UNICODE)


def text_fingerprint(body: str) -> str:
    """sha256 of the body with everything but letters, digits and CJK removed.

    Reposts differ in line breaks, spaces, punctuation width and encoding, not in words:
    "厦门，今天。" and "厦门, 今天." give the same fingerprint.
    """
    norm = unicodedata.normalize("NFKC", body).lower()
    norm = _FINGERPRINT_DROP.sub("", norm)
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CleanArticle:
    """What the cleaner made of one raw page."""

    title: str
    paragraphs: tuple[str, ...]
    published: PublishedDate | None = None
    source: str | None = None  # the outlet credited: 来源：厦门日报 → 厦门日报
    site: str | None = None  # the website the page came from: 台海网
    district: str | None = None  # 思明区 … 翔安区, or None
    authors: tuple[Author, ...] = ()
    keywords: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    url: str | None = None
    encoding: str = "utf-8"
    review_reasons: tuple[str, ...] = ()
    removed: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (kind, line)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def fingerprint(self) -> str:
        return text_fingerprint(self.body)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape used by golden fixtures and the export (minus database ids)."""
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "site": self.site,
            "district": self.district,
            "authors": [str(a) for a in self.authors],
            "keywords": list(self.keywords),
            "captions": list(self.captions),
            "body": self.body,
            "url": self.url,
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
        }
