"""Raw page → CleanArticle. OWNER: cleaning-text helper.

decode → normalise → HTML or text path → pinyin glosses off + t2s → noise classification →
title → metadata (metadata.py) → review reasons. clean_page is total: whatever it is given, it
returns a CleanArticle, with review reasons when the input was not a usable article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from . import metadata
from .encoding import REPLACEMENT, chinese_score, cjk_count, decode_bytes, normalize_text
from .html import extract_html, is_html
from .noise import Classified, classify_line, classify_lines, spam_share
from .script import strip_pinyin_glosses, to_simplified
from .types import Author, CleanArticle, PublishedDate

MAX_CHARS = 2_000_000  # larger inputs are cut: no news article is longer
SHORT_BODY = 50
MIN_YEAR, MAX_YEAR = 1990, 2100  # the conventions' range for a plausible publication year
MAX_TITLE = 60  # a longer first line of a text page is the lead, not a headline
MOJIBAKE_SCORE = 0.3  # ordinary news text scores 0.6-0.8 (see encoding.chinese_score)
SPAM_SHARE = 0.4  # at least this share of the text was keyword spam → 疑似非新闻
_TITLE_PREFIX = re.compile(r"^(?:标题|题目)\s*[:：]\s*")
_CAPTION_MARK = re.compile(r"^[▲△▼]\s*")
_HINT_LIST_SPLIT = re.compile(r"[,，、;；]")
_URL_IN_LINE = re.compile(r"https?://\S+")
_HTML_EXTS = (".html", ".htm", ".shtml", ".xhtml")  # a fragment with one tag is still a page
_KNOWN_ROLES = ("记者", "通讯员", "摄影", "作者", "编辑", "实习生")


@dataclass(frozen=True)
class _Page:
    """The page split into parts, before metadata."""

    title: str
    classified: Classified
    captions: tuple[str, ...] = ()
    meta_lines: tuple[str, ...] = ()
    breadcrumb: tuple[str, ...] = ()
    site_hints: tuple[str, ...] = ()
    keyword_lines: tuple[str, ...] = ()
    url: str | None = None


def _convert(text: str) -> str:
    return to_simplified(strip_pinyin_glosses(text))


def _convert_all(lines: Sequence[str]) -> tuple[str, ...]:
    """Each line normalised; one that normalising breaks (a literal \\n, a paragraph mark)
    becomes as many lines."""
    return tuple(
        part for line in lines for part in _convert(normalize_text(line)).split("\n") if part
    )


def _one_line(title: str) -> str:
    """A title normalised; what normalising would break into lines stays one line.

    "好消息！\\ue40c厦门地铁3号线通车" → "好消息！ 厦门地铁3号线通车"
    """
    return _convert(" ".join(normalize_text(title).split("\n")))


def _text_title(lines: Sequence[str]) -> str:
    """The first line that is not noise, without a "标题：" prefix.

    ["您的位置:首页 > 厦门", "标题：汀溪水库将建绿道", "正文。"] → "汀溪水库将建绿道"
    """
    for line in lines[:15]:
        if _TITLE_PREFIX.match(line):
            return _TITLE_PREFIX.sub("", line)
        if classify_line(line) == "paragraph":
            # A first paragraph is no headline; keep it in the body and report 未找到标题.
            looks_like_title = len(line) <= MAX_TITLE and not line.endswith("。")
            return line if looks_like_title else ""
    return ""


def _text_page(text: str, title_hint: str) -> _Page:
    lines = tuple(_convert(text).split("\n")) if text else ()
    title = title_hint or _text_title(lines)
    stripped = tuple(title if _TITLE_PREFIX.sub("", line) == title else line for line in lines)
    return _Page(title, classify_lines(stripped, title=title))


def _html_page(text: str, title_hint: str) -> _Page:
    page = extract_html(text)
    title = title_hint or _one_line(page.title)
    lines = _convert_all(page.lines)
    return _Page(
        title=title,
        classified=classify_lines(lines, title=title),
        captions=_convert_all(page.captions),
        meta_lines=_convert_all(page.meta_lines),
        breadcrumb=_convert_all(page.breadcrumb),
        site_hints=_convert_all(page.site_hints),
        keyword_lines=_convert_all(page.keyword_lines),
        url=page.url,
    )


def _decode(raw: bytes | str | None) -> tuple[str, str]:
    if raw is None:
        return "", "utf-8"
    if isinstance(raw, str):
        return raw[:MAX_CHARS], "utf-8"
    decoded = decode_bytes(bytes(raw[: MAX_CHARS * 2]))
    return decoded.text, decoded.encoding


def _hint_str(hints: Mapping[str, object], key: str) -> str | None:
    value = hints.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _hint_date(value: str | None) -> PublishedDate | None:
    """ "2021-11-13T09:11:07" → PublishedDate(2021, 11, 13, time(9, 11, 7)); junk → None."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        return None
    has_time = "T" in value or " " in value.strip()
    time = when.time().replace(tzinfo=None) if has_time else None
    return PublishedDate(when.year, when.month, when.day, time, value)


def _hint_authors(value: object) -> tuple[Author, ...] | None:
    """["记者 罗子泓", "王小明"] → (Author("罗子泓", "记者"), Author("王小明"))."""
    if isinstance(value, str):
        value = _HINT_LIST_SPLIT.split(value)
    if not isinstance(value, list | tuple):
        return None
    authors: list[Author] = []
    for item in value:
        if isinstance(item, Author):
            authors.append(item)
        elif isinstance(item, str) and item.strip():
            role, _, name = item.strip().partition(" ")
            authors.append(
                Author(name.strip(), role)
                if name and role in _KNOWN_ROLES
                else Author(item.strip())
            )
    return tuple(authors)


def _hint_keywords(value: object) -> tuple[str, ...] | None:
    """["绿道", "水库"] or "绿道, 水库" → ("绿道", "水库")."""
    if isinstance(value, str):
        value = _HINT_LIST_SPLIT.split(value)
    if not isinstance(value, list | tuple):
        return None
    return tuple(str(item).strip() for item in value if str(item).strip())


_NO_STRINGS: tuple[str, ...] = ()
_NO_AUTHORS: tuple[Author, ...] = ()


def _safe[T](default: T, func: Callable[[], T]) -> T:
    """Metadata parsers are total by contract; a bug in one must not lose the article."""
    try:
        return func()
    except Exception:
        return default


def _captions(page: _Page) -> tuple[str, ...]:
    marked = (_CAPTION_MARK.sub("", line) for line in page.classified.lines_of("caption"))
    return tuple(dict.fromkeys(c for c in (*page.captions, *marked) if c))


def _url(page: _Page) -> str | None:
    for line in page.classified.lines_of("link", "meta"):
        match = _URL_IN_LINE.search(line)
        if match:
            return match.group(0)
    return None


def _extract(page: _Page, *, default_year: int | None, url: str | None) -> dict[str, object]:
    """The metadata fields, each from the lines the noise stage set aside for it."""
    c, paras = page.classified, page.classified.paragraphs
    meta = (*page.meta_lines, *c.lines_of("meta"))
    credits = (*c.lines_of("credit"), *meta)
    lead, last = paras[:1], tuple(p for p in paras[-1:] if len(p) <= 80 and len(paras) > 1)
    crumbs = (*page.breadcrumb, *c.lines_of("breadcrumb"))
    body = "\n".join(paras)
    keywords: list[str] = []
    for line in dict.fromkeys((*c.lines_of("keywords"), *page.keyword_lines)):
        keywords.extend(_safe(_NO_STRINGS, partial(metadata.parse_keywords, line)))
    return {
        "published": _safe(
            None, lambda: metadata.parse_published([*meta, *paras[:3]], default_year=default_year)
        ),
        "source": _safe(None, lambda: metadata.parse_source([*credits, *lead, *last])),
        "site": _safe(
            None, lambda: metadata.parse_site([*page.site_hints, *crumbs, *meta], url=url)
        ),
        "authors": _safe(_NO_AUTHORS, lambda: metadata.parse_authors([*credits, *lead, *last])),
        "keywords": tuple(dict.fromkeys(keywords)),
        "district": _safe(
            None,
            lambda: metadata.detect_district(title=page.title, breadcrumb=crumbs, body=body),
        ),
    }


def _apply_hints(fields: dict[str, object], hints: Mapping[str, object]) -> None:
    """Fields a structured import already knows win over what the page says."""
    for key in ("source", "site", "district", "url"):
        value = _hint_str(hints, key)
        if value is not None:
            fields[key] = _convert(value) if key != "url" else value
    published = _hint_date(_hint_str(hints, "published"))
    if published is not None:
        fields["published"] = published
    authors = _hint_authors(hints.get("authors"))
    if authors:
        fields["authors"] = authors
    keywords = _hint_keywords(hints.get("keywords"))
    if keywords:
        fields["keywords"] = keywords


def _review_reasons(
    title: str, published: object, body: str, text: str, classified: Classified
) -> tuple[str, ...]:
    reasons: list[str] = []
    if isinstance(published, PublishedDate) and published.year is None:
        reasons.append("日期缺少年份")
    if published is None:
        reasons.append("未找到日期")
    if not title:
        reasons.append("未找到标题")
    if len(body) < SHORT_BODY:
        reasons.append("正文过短")
    if REPLACEMENT in text:
        reasons.append("编码有误")
    if spam_share(classified) >= SPAM_SHARE or _looks_like_mojibake(body):
        reasons.append("疑似非新闻")
    return tuple(reasons)


def _looks_like_mojibake(body: str) -> bool:
    """Chinese-looking text made of rare characters: bytes decoded with the wrong codec."""
    head = body[:5000]
    return cjk_count(head) >= 20 and chinese_score(head) < MOJIBAKE_SCORE


def _split(
    raw: bytes | str | None, filename: str, hints: Mapping[str, object]
) -> tuple[_Page, str, str]:
    text, encoding = _decode(raw)
    body_hint = _hint_str(hints, "body")
    if not text.strip() and body_hint:
        text = body_hint[:MAX_CHARS]
    title_hint = _one_line(_hint_str(hints, "title") or "")
    if is_html(text) or (filename.lower().endswith(_HTML_EXTS) and "<" in text):
        return _html_page(text, title_hint), text, encoding
    return _text_page(normalize_text(text), title_hint), text, encoding


def _assemble(
    raw: bytes | str | None,
    filename: str,
    default_year: int | None,
    hints: Mapping[str, object],
) -> CleanArticle:
    page, text, encoding = _split(raw, filename, hints)
    own_url = _hint_str(hints, "url") or page.url  # an 原文链接 line names another page
    fields = _extract(page, default_year=default_year, url=own_url)
    fields["url"] = own_url or _url(page)
    _apply_hints(fields, hints)
    paragraphs = page.classified.paragraphs
    body = "\n".join(paragraphs)
    published = fields["published"]
    return CleanArticle(
        title=page.title,
        paragraphs=paragraphs,
        published=published if isinstance(published, PublishedDate) else None,
        source=_opt_str(fields["source"]),
        site=_opt_str(fields["site"]),
        district=_opt_str(fields["district"]),
        authors=tuple(a for a in _tuple(fields["authors"]) if isinstance(a, Author)),
        keywords=tuple(str(k) for k in _tuple(fields["keywords"])),
        captions=_captions(page),
        url=_opt_str(fields["url"]),
        encoding=encoding,
        review_reasons=_review_reasons(page.title, published, body, text, page.classified),
        removed=page.classified.removed,
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _tuple(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, list | tuple) else ()


def clean_page(
    raw: bytes | str | None,
    *,
    filename: str = "",
    default_year: int | None = None,
    hints: Mapping[str, object] | None = None,
) -> CleanArticle:
    """Clean one scraped page; never raises.

    raw: the page as bytes (any encoding) or text; filename: the name it was saved under
    (an .html name sends even a one-tag fragment down the HTML path). hints: fields a structured import already
    knows (title, body, published, source, site, district, url, authors, keywords); they win
    over what the page says, and "body" is cleaned when there is no raw page.
    "标题：厦门新闻\\n2021-11-13 来源：厦门日报\\n正文……" → CleanArticle(title="厦门新闻", source="厦门日报", …)
    """
    try:
        return _assemble(raw, filename, default_year, hints or {})
    except Exception:  # a last guard: one odd page must not stop an import batch
        reasons = ("未找到日期", "未找到标题", "正文过短")
        return CleanArticle(title="", paragraphs=(), review_reasons=reasons)
