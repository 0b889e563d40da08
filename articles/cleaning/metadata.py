"""Interface of the metadata extractors. OWNER: cleaning-metadata helper.

Each function is pure and total: it never raises on odd input, it returns None/() instead.
The pipeline calls them with lines already split out by the noise stage.
"""

from __future__ import annotations

from collections.abc import Sequence

from .types import Author, PublishedDate


def parse_published(
    texts: Sequence[str], *, default_year: int | None = None
) -> PublishedDate | None:
    """The publication date from meta lines, datelines and the lead.

    ["2021-11-13 09:11:07    来源:厦门日报"] → PublishedDate(2021, 11, 13, time(9, 11, 7))
    ["台海网8月20日讯"], default_year=None → PublishedDate(None, 8, 20)
    """
    return None


def parse_source(texts: Sequence[str]) -> str | None:
    """The credited outlet: "来源:厦门日报" → "厦门日报"; "据东南网报道" → "东南网"."""
    return None


def parse_site(texts: Sequence[str], *, url: str | None = None) -> str | None:
    """The website the page came from: "www.taihainet.com" / "_厦门_台海网" / url → "台海网"."""
    return None


def parse_authors(texts: Sequence[str]) -> tuple[Author, ...]:
    """Credits: "(记者 邹玒 通讯员 张舒黎)" → (Author("邹玒", "记者"), Author("张舒黎", "通讯员"))."""
    return ()


def parse_keywords(line: str) -> tuple[str, ...]:
    """ "关键词: 建设 责任" → ("建设", "责任")."""
    return ()


def detect_district(*, title: str, breadcrumb: Sequence[str], body: str) -> str | None:
    """The main district: title beats breadcrumb beats body counts. "禾山街道…" → "湖里区"."""
    return None
