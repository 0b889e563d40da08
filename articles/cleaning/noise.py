"""Sort the text lines of a page into article paragraphs and kinds of noise.

OWNER: cleaning-text helper. The rules are data in noise_patterns.py; this module applies them
in order, detects keyword-stuffed spam lines, and trims noise tails off one-line bodies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .noise_patterns import INLINE_TAILS, LINE_RULES, TAIL_RULES, Rule

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_ITEM_SPLIT = re.compile(r"[,，、;；|｜/\s]+")
_CLAUSE_WORDS = re.compile(r"[的了是在将被把对从向着过要会说称表示]")
_NAME_ONLY_CREDIT = re.compile(r"[。！？，,；;]")


@dataclass(frozen=True)
class Classified:
    """The kept paragraphs in reading order, and what was removed as (kind, line)."""

    paragraphs: tuple[str, ...]
    removed: tuple[tuple[str, str], ...]

    def lines_of(self, *kinds: str) -> tuple[str, ...]:
        """The removed lines of the given kinds, in page order."""
        return tuple(line for kind, line in self.removed if kind in kinds)


def is_keyword_spam(line: str) -> bool:
    """A long run of short separated items with no sentence in it.

    "湖北新闻网，湖北新闻，湖北要闻，湖北图片，图片新闻，专题新闻，荆楚各地，新农村" → True
    "其中，菏泽、济宁、枣庄、德州等城市出现重度污染的可能性较大。" → False
    """
    items = [item for item in _ITEM_SPLIT.split(line.strip(" .…")) if item]
    if len(items) < 8 or _SENTENCE_END.search(line.rstrip(".…")):
        return False
    short = sum(1 for item in items if len(item) <= 8)
    clauses = sum(1 for item in items if len(item) > 4 and _CLAUSE_WORDS.search(item))
    return short >= 0.8 * len(items) and clauses <= len(items) // 5


def _matches(rule: Rule, line: str) -> bool:
    return len(line) <= rule.max_len and rule.pattern.search(line) is not None


def classify_line(line: str) -> str:
    """The kind of one stripped line: "paragraph" or a noise kind.

    "责任编辑：王小明" → "editor"; "厦门今天天气晴。" → "paragraph"
    """
    for rule in LINE_RULES:
        if _matches(rule, line):
            if rule.kind == "credit" and _NAME_ONLY_CREDIT.search(line.strip("()（）")):
                continue
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
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        if title and line == title:
            removed.append(("title", line))
            continue
        tail = _tail_kind(line) if kept else None
        if tail is not None:
            removed.extend((tail, rest) for rest in lines[index:])
            break
        kind = classify_line(line)
        if kind == "paragraph":
            line, cut = trim_inline_tail(line)
            if cut:
                removed.append(("editor" if "编辑" in cut else "share", cut))
            kept.append(line)
        else:
            removed.append((kind, line))
    return Classified(tuple(kept), tuple(removed))


def spam_share(classified: Classified) -> float:
    """The share of the page's text (by characters) that was spam or junk; 0.0 … 1.0."""
    noise = sum(len(line) for kind, line in classified.removed if kind in ("spam", "mirror-junk"))
    total = noise + sum(len(p) for p in classified.paragraphs)
    return noise / total if total else 0.0


def join_lines(lines: Iterable[str]) -> str:
    """Lines to one body text: ["a", "", "b"] → "a\\nb"."""
    return "\n".join(line for line in lines if line)
