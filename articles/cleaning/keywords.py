"""Keywords from a page's own 关键词 / 关键字 / 标签 line."""

from __future__ import annotations

import re

MAX_KEYWORD = 20
MAX_KEYWORDS = 50
_LABEL = re.compile(
    r"^.*?(?:关键词|关键字|标签|Tags?|Keywords?)\s*(?:[】\]]\s*[:：]?|[:：])\s*", re.IGNORECASE
)
_SPLIT = re.compile(r"[\s,，、;；|｜/]+")


def parse_keywords(line: str) -> tuple[str, ...]:
    """Keywords in page order, deduped, each at most 20 characters (longer ones dropped).

    "关键字：厦门,湖里;五缘湾" → ("厦门", "湖里", "五缘湾"); "" → ().
    """
    if not isinstance(line, str):
        return ()
    label = _LABEL.match(line[:2000])
    text = line[label.end() : 2000] if label else line[:2000]
    seen: dict[str, None] = {}
    for word in _SPLIT.split(text):
        word = word.strip("\"'“”‘’【】[]()（）<>《》.。")
        if word and len(word) <= MAX_KEYWORD:
            seen.setdefault(word, None)
    return tuple(seen)[:MAX_KEYWORDS]
