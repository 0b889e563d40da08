"""Sort the text lines of a page into article paragraphs and kinds of noise.

OWNER: cleaning-text helper. The rules are data in noise_patterns.py; this module applies them
in order, detects keyword-stuffed spam lines, and trims noise tails off one-line bodies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .noise_patterns import INLINE_TAILS, LINE_RULES, TAIL_RULES, Rule

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_ITEM_SPLIT = re.compile(r"[,，、;；|｜/\s]+")
_CLAUSE_WORDS = re.compile(r"[的了是在将被把对从向着过要会说称表示]")
_LONG_CAPTION = 80  # a caption line longer than this has body text glued to it
_LATIN = re.compile(r"[A-Za-z]")
_LEAD_END = re.compile(r"[。！？]")
_ANY_PUNCT = re.compile(r"[，。！？：；、“”‘’《》（）()—…,.!?:;\[\]【】]")
_NAME_ONLY_CREDIT = re.compile(r"[。！？，,；;]")


@dataclass(frozen=True)
class Classified:
    """The kept paragraphs in reading order, and what was removed as (kind, line)."""

    paragraphs: tuple[str, ...]
    removed: tuple[tuple[str, str], ...]

    def lines_of(self, *kinds: str) -> tuple[str, ...]:
        """The removed lines of the given kinds, in page order."""
        return tuple(line for kind, line in self.removed if kind in kinds)


def _shared_bigram_share(items: Sequence[str]) -> float:
    """The share of items containing the most common two-character piece: SEO lists repeat one."""
    counts: dict[str, int] = {}
    for item in items:
        for gram in {item[i : i + 2] for i in range(len(item) - 1)}:
            counts[gram] = counts.get(gram, 0) + 1
    return max(counts.values(), default=0) / len(items) if items else 0.0


def is_keyword_spam(line: str) -> bool:
    """A run of short separated items with no sentence in it.

    "湖北新闻网，湖北新闻，湖北要闻，湖北图片，图片新闻，专题新闻，荆楚各地，新农村" → True
    "厦门开锁公司 厦门开锁电话 厦门24小时开锁 厦门开锁师傅 厦门修锁 厦门配钥匙" → True
    "其中，菏泽、济宁、枣庄、德州等城市出现重度污染的可能性较大。" → False
    """
    items = [item for item in _ITEM_SPLIT.split(line.strip(" .…")) if item]
    if len(items) < 5 or _SENTENCE_END.search(line.rstrip(".…")):
        return False
    if len(_LATIN.findall(line)) > len(line) / 3:
        return False  # English text: words are short and space-separated by nature
    clauses = sum(1 for item in items if len(item) > 4 and _CLAUSE_WORDS.search(item))
    if clauses > len(items) // 5:
        return False
    if len(items) >= 8 and sum(1 for item in items if len(item) <= 8) >= 0.8 * len(items):
        return True
    return max(map(len, items)) <= 14 and _shared_bigram_share(items) >= 0.5


def _matches(rule: Rule, line: str) -> bool:
    return len(line) <= rule.max_len and rule.pattern.search(line) is not None


def classify_line(line: str) -> str:
    """The kind of one stripped line: "paragraph" or a noise kind.

    "责任编辑：王小明" → "editor"; "厦门今天天气晴。" → "paragraph"
    """
    for rule in LINE_RULES:
        if _matches(rule, line):
            if rule.kind == "credit" and _NAME_ONLY_CREDIT.search(line.strip("()（）")):
                continue  # a sentence that starts with 记者 …, not a credit line
            if rule.kind == "meta" and _LEAD_END.search(line):
                continue  # a paragraph ending in (来源：…) stays a paragraph
            return rule.kind
    if is_keyword_spam(line):
        return "spam"
    return "paragraph"


def _tail_kind(line: str) -> str | None:
    for rule in TAIL_RULES:
        if _matches(rule, line):
            return rule.kind
    return None


def trim_inline_tail(paragraph: str) -> tuple[str, str]:
    """Cut a noise tail glued to the end of a paragraph; returns (kept, removed).

    "……贡献。责任编辑：张广义" → ("……贡献。", "责任编辑：张广义")
    """
    for pattern in INLINE_TAILS:
        match = pattern.search(paragraph)
        if match and match.start() > 0:
            return paragraph[: match.start()].rstrip(), match.group(0).strip()
    return paragraph, ""


def classify_lines(lines: Sequence[str], *, title: str = "") -> Classified:
    """Split page lines into the article's paragraphs and the removed (kind, line) pairs.

    ["您的位置:首页 >国内 >", "厦门今天天气晴。", "责任编辑：王小明"]
    → paragraphs ("厦门今天天气晴。",), removed (("breadcrumb", …), ("editor", …))
    """
    kept: list[tuple[int, str]] = []
    removed: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        if title and line == title:
            removed.append((index, "title", line))
            continue
        tail = _tail_kind(line) if kept else None
        if tail is not None:
            removed.extend((index, tail, rest) for rest in lines[index:])
            break
        kind = classify_line(line)
        if (
            kind == "paragraph"
            and len(line) <= 20
            and removed
            and _is_bare_label(removed[-1], index)
        ):
            kind = removed[-1][1]  # "责任编辑：" and its name split over two lines
        if kind == "caption" and len(line) > _LONG_CAPTION:
            caption, rest = split_long_caption(line)
            if rest:
                removed.append((index, "caption", caption))
                kind, line = "paragraph", rest
        if kind == "paragraph":
            line, cut = trim_inline_tail(line)
            if cut:
                removed.append((index, "editor" if "编辑" in cut else "share", cut))
            kept.append((index, line))
        else:
            removed.append((index, kind, line))
    _captions_before_lead(kept, removed)
    removed.sort(key=lambda item: item[0])
    return Classified(
        tuple(line for _, line in kept), tuple((kind, line) for _, kind, line in removed)
    )


def split_long_caption(line: str) -> tuple[str, str]:
    """A ▲ caption glued to the next paragraph: split after the caption's first sentence.

    "△菜农在忙碌。11、体育休闲旅游多渠道增加全民健身场所。" → ("△菜农在忙碌。", "11、体育休闲旅游…")
    """
    end = _LEAD_END.search(line, 0, _LONG_CAPTION)
    if end is None or not line.startswith(("▲", "△", "▼")):
        return line, ""
    return line[: end.end()], line[end.end() :].strip()


def _is_bare_label(previous: tuple[int, str, str], index: int) -> bool:
    """The line before this one was a label with nothing after it: "责任编辑："."""
    prev_index, kind, line = previous
    return prev_index == index - 1 and kind in ("editor", "credit") and line.rstrip()[-1:] in ":："


def _captions_before_lead(kept: list[tuple[int, str]], removed: list[tuple[int, str, str]]) -> None:
    """Short unpunctuated lines just before the lead are photo captions: "志愿者在为居民修理雨伞"."""
    count = 0
    while count < len(kept) - 1 and _is_bare_caption(kept[count][1]):
        count += 1
    if count == 0 or not _LEAD_END.search(kept[count][1]):
        return
    removed.extend((index, "caption", line) for index, line in kept[:count])
    del kept[:count]


def _is_bare_caption(line: str) -> bool:
    return len(line) <= 30 and _ANY_PUNCT.search(line) is None


def spam_share(classified: Classified) -> float:
    """The share of the page's text (by characters) that was spam or junk; 0.0 … 1.0.

    one 38-character spam line beside a 13-character paragraph → 38 / 51
    """
    noise = sum(len(line) for kind, line in classified.removed if kind in ("spam", "mirror-junk"))
    total = noise + sum(len(p) for p in classified.paragraphs)
    return noise / total if total else 0.0
