"""HTML page → the article's title, paragraph lines and the bits around them.

OWNER: cleaning-text helper. Finds the article block (a known container such as #artibody or
.article-content, else the element whose paragraphs hold the most Chinese text), drops page
furniture (scripts, navigation, share bars, comments, related lists, footers) and returns the
block's text one line per block element, with header lines, breadcrumb and captions kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TAG = re.compile(r"</?(?:html|head|body|div|p|br|span|meta|title|a|table|td|h1)\b[^>]*>", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "nav", "footer", "aside", "svg",
    "select", "textarea", "template", "input", "object", "embed", "link", "video", "audio",
)  # fmt: skip
# <form> and <button> are not dropped: many CMS pages wrap the whole body in a <form>, and a
# self-closed <button/> swallows the rest of the page when parsed as HTML.
_BLOCK_TAGS = frozenset(
    (
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "section", "article", "blockquote", "figure", "center", "pre", "hr",
        "header", "main", "tbody", "thead",
    )
)  # fmt: skip


def _attr_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[\s_\-])(?:{words})(?:$|[\s_\-\d])", re.I)


_NOISE_ATTR = _attr_pattern(
    r"share|sharebar|bdshare|jiathis|comments?|cmt|related|relate|recommend|recom|footer|foot"
    r"|copyright|sidebar|side|rank|ranking|hot|hotnews|advert|ads?|adv|toolbar|tool|nav|navbar"
    r"|menu|login|subscribe|qrcode|erweima|weixin|more|next|prev|pagination"
)
_CRUMB_ATTR = _attr_pattern(
    r"crumbs?|breadcrumbs?|position|location|daohang|dqwz|crumb|path|local|weizhi"
)
_META_ATTR = _attr_pattern(
    r"info|time|date|source|pubtime|pub|publish|author|byline|meta|post|ep|from|origin|infos"
    r"|laiyuan|ly|sj|fbsj|fbrq|xx|article-info|news-info|attr"
)
_CAPTION_ATTR = _attr_pattern(
    r"pic-info|picinfo|caption|img_descr|img-desc|imgtxt|pictext|pic_text|img-title|pictitle|figcaption"
)
_KNOWN_BLOCKS = (
    "artibody", "article_content", "article-content", "endText", "post_body", "js_content",
    "Cnt-Main-Article-QQ", "content-article", "news_txt", "newsContent", "TRS_Editor",
    "article-body", "articleBody", "main_text", "content_text", "detail", "article", "content",
)  # fmt: skip
_CRUMB_TEXT = re.compile(
    r"^\s*(?:您的位置|你的位置|您现在的位置|您当前的位置|你当前的位置|当前的位置|当前位置|所在位置)"
)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|——| - | – |(?<=\D)-(?=[^-\d][^-]{1,19}$))\s*")
_KEYWORD_LINE = re.compile(r"^(?:关键词|关键字|标签|tags)\s*[:：]", re.I)
_TITLE_TAGS = ("b", "strong", "span", "div", "td", "p", "h2", "h3", "font")
_LABELLED_DATE = re.compile(r"(?:发布日期|发布时间|更新时间|日期|时间)\s*[:：]\s*(?:19|20)\d{2}")
_DATE_OR_SOURCE = re.compile(r"\d{4}[-年/.]\d{1,2}|来源|作者|\d{1,2}月\d{1,2}日")


@dataclass(frozen=True)
class HtmlPage:
    """What extract_html found on one page."""

    title: str = ""
    lines: tuple[str, ...] = ()  # the article block's text, one line per block element
    meta_lines: tuple[str, ...] = ()  # time / source / author lines near the title
    breadcrumb: tuple[str, ...] = ()
    url: str | None = None
    captions: tuple[str, ...] = ()
    site_hints: tuple[str, ...] = ()  # og:site_name, the whole <title>
    keyword_lines: tuple[str, ...] = ()  # "关键字 : 香港" boxes, often below the block


def is_html(text: str) -> bool:
    """True when the text is markup: "<html><body><p>厦门</p>" → True, "厦门<新闻>" → False."""
    return len(_TAG.findall(text[:20000])) >= 2


def _cjk(text: str) -> int:
    return len(_CJK.findall(text))


def _text(el: HtmlElement) -> str:
    return " ".join("".join(el.itertext()).split())


def _attrs(el: HtmlElement) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


def _parse(text: str) -> HtmlElement | None:
    text = _XML_DECL.sub("", text, count=1)
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError, TypeError):
        return None
    # A stray second <html> after a comment becomes a sibling of the root: fold it in.
    for sibling in list(doc.itersiblings()):
        if isinstance(sibling.tag, str):
            doc.append(sibling)
    return doc


def _head(doc: HtmlElement) -> tuple[str, str | None, tuple[str, ...]]:
    """(<title> text, canonical url, site hints) from the head."""
    title = " ".join((doc.findtext(".//title") or "").split())
    url = None
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = [str(v).strip() for v in doc.xpath(xpath) if str(v).strip().startswith("http")]
        if found:
            url = found[0]
            break
    names = [str(v).strip() for v in doc.xpath("//meta[@property='og:site_name']/@content")]
    return title, url, tuple(n for n in [*names, title] if n)


def _drop_furniture(doc: HtmlElement) -> None:
    etree.strip_elements(doc, etree.Comment, *_DROP_TAGS, with_tail=False)


def _known_blocks(doc: HtmlElement) -> list[HtmlElement]:
    """Elements with a known article-container id or class, most specific names first."""
    rank = {name: i for i, name in enumerate(_KNOWN_BLOCKS)}
    found: list[tuple[int, int, HtmlElement]] = []
    for order, el in enumerate(doc.iter()):
        if not isinstance(el.tag, str):
            continue
        names = [el.get("id", ""), *el.get("class", "").split()]
        ranks = [rank[n] for n in names if n in rank]
        if ranks:
            found.append((min(ranks), order, el))
    return [el for _, _, el in sorted(found, key=lambda item: (item[0], item[1]))]


def _walk(doc: HtmlElement, take: Callable[[HtmlElement], bool]) -> None:
    """Visit elements in document order; when take(el) is true, skip el's subtree."""
    stack = list(reversed(doc))
    while stack:
        el = stack.pop()
        if isinstance(el.tag, str) and not take(el):
            stack.extend(reversed(el))


def _drop_noise_blocks(doc: HtmlElement) -> None:
    """Remove share bars, comments, related lists …, but never what holds the article."""
    total = _cjk(_text(doc))
    known = {el: _cjk(_text(el)) for el in _known_blocks(doc)}
    protected = {a for el, n in known.items() if n >= 50 for a in (el, *el.iterancestors())}

    def take(el: HtmlElement) -> bool:
        if el in protected or el.tag == "body" or not _NOISE_ATTR.search(_attrs(el)):
            return False
        size = _cjk(_text(el))
        inside = [known[a] for a in el.iterancestors() if a in known]
        if size < 0.5 * total and not (inside and size >= 0.5 * inside[0]):
            el.drop_tree()
            return True
        return False

    _walk(doc, take)


def _take_breadcrumb(doc: HtmlElement) -> tuple[str, ...]:
    found: list[str] = []

    def take(el: HtmlElement) -> bool:
        if not _CRUMB_ATTR.search(_attrs(el)) and not _CRUMB_TEXT.match(el.text or ""):
            return False
        text = _text(el)
        if not 0 < len(text) <= 150:
            return False
        found.append(text)
        el.drop_tree()
        return True

    _walk(doc, take)
    return tuple(found)


def _best_block(doc: HtmlElement) -> HtmlElement | None:
    """The element holding the article: parents of <p>s scored by Chinese characters."""
    scores: dict[HtmlElement, float] = {}
    for el in doc.iter("p", "div", "td", "body", "article", "section", "span"):
        own = _cjk((el.text or "") + "".join(child.tail or "" for child in el))
        if el.tag == "p":
            own = _cjk(_text(el))
        if own < 10:
            continue
        # A <p> (or a WeChat-style <span>) is one paragraph of its parent; a <div> or <td>
        # with loose text is a block of its own.
        target = el.getparent() if el.tag in ("p", "span") else el
        if target is None:
            continue
        scores[target] = scores.get(target, 0) + own
        grand = target.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + own / 2
    if not scores:
        fallback = [el for el in _known_blocks(doc) if _cjk(_text(el)) >= 20]
        return fallback[0] if fallback else None
    best = max(scores, key=lambda el: scores[el])
    for el in _known_blocks(doc):
        if scores.get(el, 0) >= 0.6 * scores[best]:
            return el
    return best


def _take_captions(block: HtmlElement) -> tuple[str, ...]:
    captions: list[str] = []
    for el in list(block.iter()):
        if not isinstance(el.tag, str) or el is block:
            continue
        text = _text(el)
        is_caption = el.tag == "figcaption" or bool(_CAPTION_ATTR.search(_attrs(el)))
        if el.tag == "p" and el.find(".//img") is not None and 0 < len(text) <= 60:
            is_caption = True
        if is_caption and text:
            captions.append(text)
            el.drop_tree()
    return tuple(captions)


def block_lines(block: HtmlElement) -> tuple[str, ...]:
    """The text of an element, one line per block element and <br>.

    <div>第一段<br>第二段<p>第三 段</p></div> → ("第一段", "第二段", "第三 段")
    """
    parts: list[str] = []
    for event, el in etree.iterwalk(block, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(el.text or "")
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el is not block:
                parts.append(el.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return tuple(line for line in lines if line)


def strip_title_suffix(title: str) -> str:
    """The headline without the site's suffix: "外媒眼中的武汉_首页武汉_长江网" → "外媒眼中的武汉"."""
    segments = _TITLE_SPLIT.split(title.strip())
    if not segments[0]:
        return ""  # "_厦门_台海网": only the site's suffix
    if len(segments[0]) >= 4:
        return segments[0]
    return max(segments, key=len)


def _overlap(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / len(set(a))


def _pick_title(doc: HtmlElement, page_title: str) -> tuple[str, HtmlElement | None]:
    short = strip_title_suffix(page_title)
    for h1 in doc.iter("h1", "h2"):
        text = _text(h1)
        if len(text) >= 4 and (text in page_title or _overlap(text, short) >= 0.7):
            return text, h1
    if short:
        return _title_element(doc, short)
    first = next(iter(doc.iter("h1")), None)
    return (_text(first), first) if first is not None else ("", None)


def _title_element(doc: HtmlElement, short: str) -> tuple[str, HtmlElement | None]:
    """The headline element for a <title> without <h1>: its text equals the title or is the
    title minus a trailing word ("…调研工作 东区办事处" has "…调研工作" on the page)."""
    best: tuple[str, HtmlElement | None] = (short, None)
    for el in doc.iter(*_TITLE_TAGS):
        if short[:6] not in (el.text or ""):
            continue
        text = _text(el)
        if text == short:
            return short, _outermost(el, text)
        is_prefix = len(text) >= 8 and short.startswith(text) and len(text) >= 0.7 * len(short)
        if is_prefix and (best[1] is None or len(text) > len(best[0])):
            best = (text, el)
    return best[0], _outermost(best[1], best[0]) if best[1] is not None else None


def _outermost(el: HtmlElement, text: str) -> HtmlElement:
    """<span><b>标题</b></span> → the span: its siblings hold the date and source."""
    parent = el.getparent()
    while parent is not None and _text(parent) == text:
        el, parent = parent, parent.getparent()
    return el


def _keyword_lines(doc: HtmlElement) -> tuple[str, ...]:
    found = []
    for el in doc.iter("div", "p", "span", "li", "td", "section"):
        own = (el.text or "").strip() or (el[0].text or "" if len(el) else "").strip()
        if not _KEYWORD_LINE.match(own):
            continue
        text = _text(el)
        if len(text) <= 120 and _KEYWORD_LINE.match(text):
            found.append(text)
    # A box and its parent both match; keep the inner one ("关键字 : 香港", not "… 我要反馈").
    inner = [t for t in found if not any(o != t and t.startswith(o) for o in found)]
    return tuple(dict.fromkeys(inner))


def _meta_near(
    doc: HtmlElement, heading: HtmlElement | None, block: HtmlElement | None
) -> tuple[str, ...]:
    """Short lines with a date or 来源 right after the headline, or in info/time/source
    elements above the article block (lists below it carry other articles' dates)."""
    found: list[str] = []
    if heading is not None:
        for sibling in list(heading.itersiblings())[:4]:
            if block is not None and (sibling is block or block in sibling.iterdescendants()):
                break
            found.extend(block_lines(sibling))
    after = False
    for el in doc.iter():
        after = after or (block is not None and el is block)
        if not isinstance(el.tag, str) or (block is not None and el in block.iterancestors()):
            continue
        own = el.text or ""
        if after and not ("日期" in own or "时间" in own):
            continue
        text = _text(el) if after or _META_ATTR.search(_attrs(el)) else ""
        if after and not _LABELLED_DATE.search(text):
            continue
        found.append(text)
    kept = [t for t in found if _is_meta_line(t)]
    # Nested elements repeat each other; keep the fullest ("时间 来源", not just "时间").
    outer = [t for t in kept if not any(o != t and t in o for o in kept)]
    return tuple(dict.fromkeys(outer))


def _is_meta_line(text: str) -> bool:
    """Short, no sentence in it, with a date or a 来源/作者 label."""
    return 0 < len(text) <= 160 and "。" not in text and bool(_DATE_OR_SOURCE.search(text))


def extract_html(text: str) -> HtmlPage:
    """Pull the article out of a page; an empty HtmlPage when there is nothing to parse.

    "<title>标题_台海网</title><h1>标题</h1><div id=content><p>正文第一段。</p></div>"
    → HtmlPage(title="标题", lines=("正文第一段。",), site_hints=("标题_台海网",) …)
    """
    doc = _parse(text)
    if doc is None:
        return HtmlPage()
    page_title, url, site_hints = _head(doc)
    _drop_furniture(doc)
    breadcrumb = _take_breadcrumb(doc)
    title, heading = _pick_title(doc, page_title)
    keyword_lines = _keyword_lines(doc)
    _drop_noise_blocks(doc)
    block = _best_block(doc)
    meta_lines = _meta_near(doc, heading, block)
    captions = _take_captions(block) if block is not None else ()
    lines = block_lines(block) if block is not None else ()
    return HtmlPage(title, lines, meta_lines, breadcrumb, url, captions, site_hints, keyword_lines)
