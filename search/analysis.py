"""The one analyzer for Chinese news, used at index time and at query time.

Pipeline: NFKC (full-width Ａ１ → A1, compatibility forms) → control characters dropped →
OpenCC t2s (繁→简, one converter per process) → lower case → jieba (rjieba, the Rust port:
about 20x faster than jieba, same tokens) with the repo's user dictionary
(search/data/userdict.txt: Xiamen districts, places, institutions and outlets).

Positions, the design that makes every query kind work:
- Each word of jieba's precise cut takes the next position (word order, not character
  offset), so a quoted phrase "志愿服务" (cut 志愿|服务) matches only 志愿 followed by 服务.
- At index time the sub-words that jieba's search mode finds inside a word are stacked at the
  SAME position as the word: 湖里区 → 湖里区@p and 湖里@p; 文明城市 → 文明城市@p, 文明@p,
  城市@p. So 湖里 finds 湖里区, and a phrase still lines up when the text was cut differently
  (志愿|服务队 in 志愿服务队: the sub-word 服务 sits at the position after 志愿).
- At query time only the precise cut is produced (no stacked tokens), so a phrase query is a
  clean sequence of terms.
- Punctuation is not emitted but still takes a position, so a phrase never spans a sentence
  break ("厦门。大学" does not match "厦门大学"); spaces take none.
- Latin and digits: jieba keeps runs like "COVID-19", "5G", "iphone" whole and search mode adds
  the parts ("covid"); everything is lower-cased first, so "IPHONE" finds "iPhone".
- Single characters: a query of one character matches that character where jieba cut it as a
  word of its own (在, 湖 standing alone, 车 in "停车" only if cut so), never inside longer
  words. The trade-off: indexing character n-grams would make 湖 find 西湖 but roughly double
  the index and slow every query; one-character queries are rare and mostly noise words. They
  never raise.
- Known limit: a word query matches when the text's segmentation contains the word (or it as a
  stacked sub-word). A word that jieba splits differently in the text than in the query is
  rescued by query.py, which also tries the word's parts as a phrase (see word_parts()).

Grams, for phrases of frequent words: at index time two frequent words in a row (both in
search/data/common_words.txt, or runs of up to four digits: 2014年, 25日) are also indexed as
one term, "2014\x1f年", at the first one's position, for every pair of their stacked tokens.
A phrase such as "用我们" then reads that one short list instead of intersecting the
positions of 用 and 我们 (search/engine/whoosh/postings.py, gram_cover()). The text field also gets a marker
term in every document, named by a hash of the word list: phrases use grams only when every
document with tokens has it (an index written before, or with another list, is read word by
word). \x1f cannot come from a query: normalize() turns control characters into spaces.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import opencc
import rjieba
from whoosh.analysis import Composable, Token, Tokenizer

USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
COMMON_WORDS = Path(__file__).resolve().parent / "data" / "common_words.txt"
GRAM_JOIN = "\x1f"
_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}
# C0/C1 controls (NUL included) become spaces; NFKC leaves them alone.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


class Piece(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


def _load() -> tuple[rjieba.Jieba, opencc.OpenCC]:
    with _LOCK:
        if "jieba" not in _STATE:
            jb = rjieba.Jieba()
            for word, freq, tag in read_user_dict(USER_DICT):
                jb.add_word(word, freq, tag)
            _STATE["opencc"] = opencc.OpenCC("t2s")
            _STATE["jieba"] = jb
    return _STATE["jieba"], _STATE["opencc"]


def warm_up() -> None:
    """Load the dictionaries now (call at process start-up, e.g. in AppConfig.ready)."""
    _load()
    _common()


def read_user_dict(path: Path) -> list[tuple[str, int, str]]:
    """Entries of a jieba-style user dictionary; comments and blank lines skipped.

    "湖里区 20000 ns" → [("湖里区", 20000, "ns")]
    """
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 else 1000
        entries.append((parts[0], freq, parts[2] if len(parts) > 2 else ""))
    return entries


def normalize(text: str) -> str:
    """NFKC, controls to spaces, traditional to simplified, lower case.

    "同安區ＡＢＣ\\x00" → "同安区abc "
    """
    converter = _load()[1]
    text = _CONTROLS.sub(" ", unicodedata.normalize("NFKC", text))
    return str(converter.convert(text)).lower()


def normalize_each(chars: list[str]) -> list[str]:
    """normalize() of each single character, in one OpenCC call (a whole plane in ~60 ms).

    normalize_each(["區", "Ａ", "a"]) → ["区", "a", "a"]
    """
    converter = _load()[1]
    nfkc = [
        _CONTROLS.sub(" ", unicodedata.normalize("NFKC", ch)).replace("\n", " ") for ch in chars
    ]
    out = str(converter.convert("\n".join(nfkc))).lower().split("\n")
    if len(out) != len(chars):  # OpenCC joined across a line break: one at a time instead
        out = [normalize(ch) for ch in chars]
    return out


_WORD_CHAR = re.compile(r"[^\W_]")


@functools.lru_cache(maxsize=1 << 17)  # tokens repeat: one regex search per distinct token
def _is_word(text: str) -> bool:
    return _WORD_CHAR.search(text) is not None


def segment(text: str, *, stacked: bool) -> list[Piece]:
    """Words of the precise cut with word-order positions; sub-words stacked when asked.

    Offsets refer to the normalized text. segment("湖里区的文明城市", stacked=True) →
    湖里区@0, 湖里@0, 的@1, 文明城市@2, 文明@2, 城市@2.
    """
    jb = _load()[0]
    norm = normalize(text)
    pieces: list[Piece] = []
    pos = -1
    for word, start, end in jb.tokenize(norm, "default", True):
        if word.isspace():
            continue
        pos += 1
        if _is_word(word):
            pieces.append(Piece(word, pos, start, end))
    if stacked:
        pieces = _stack(jb, norm, pieces)
    return pieces


def _stack(jb: rjieba.Jieba, norm: str, pieces: list[Piece]) -> list[Piece]:
    """Each search-mode sub-word that lies inside one word of the cut, at that word's position.

    The words are in text order and do not overlap, so the word holding a sub-word is the
    last one starting at or before it (bisect), if the sub-word also ends inside it.
    """
    words = {(p.start, p.end) for p in pieces}
    starts = [p.start for p in pieces]
    subs: dict[int, list[Piece]] = {}
    for word, start, end in jb.tokenize(norm, "search", True):
        if (start, end) in words or not _is_word(word):
            continue
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or end > pieces[i].end:
            continue
        owner = pieces[i].pos
        subs.setdefault(owner, []).append(Piece(word, owner, start, end))
    out: list[Piece] = []
    for piece in pieces:
        out.append(piece)
        out.extend(subs.pop(piece.pos, []))
    return out


@functools.cache
def _common() -> tuple[frozenset[str], str]:
    """The common words, and the marker term of the index that pairs them."""
    text = COMMON_WORDS.read_text(encoding="utf-8")
    words = frozenset(w for w in text.split("\n") if w and not w.startswith("#"))
    digest = hashlib.sha1("\n".join(sorted(words)).encode("utf-8")).hexdigest()[:12]
    return words, f"{GRAM_JOIN}grams {digest}"


def gram_marker() -> str:
    """The term every document indexed with grams of this word list holds."""
    return _common()[1]


@functools.lru_cache(maxsize=1 << 17)
def is_common(word: str) -> bool:
    """Whether a word takes part in grams: a common word, or up to four ASCII digits."""
    return word in _common()[0] or (len(word) <= 4 and word.isascii() and word.isdigit())


def gram(left: str, right: str) -> str:
    return f"{left}{GRAM_JOIN}{right}"


def index_pieces(text: str) -> list[Piece]:
    """What the index holds for a text: segment(stacked=True), the marker term first, and a
    gram for each pair of common tokens at positions p and p + 1, at p, placed before the
    tokens of p + 1 so positions never go back.

    index_pieces("用我们的") → marker@0, 用@0, 用\x1f我们@0, 我们@1, 我们\x1f的@1, 的@2
    """
    pieces = segment(text, stacked=True)
    if not pieces:
        return pieces
    out = [Piece(gram_marker(), 0, 0, 0)]
    left: list[Piece] = []  # the common tokens of the position before
    left_pos = -2
    start, count = 0, len(pieces)
    while start < count:  # one position at a time: a word and the sub-words after it
        pos = pieces[start].pos
        end = start + 1
        while end < count and pieces[end].pos == pos:
            end += 1
        right = [p for p in pieces[start:end] if is_common(p.text)]
        if left and right and left_pos == pos - 1:
            out.extend(
                Piece(gram(a.text, b.text), a.pos, a.start, b.end) for a in left for b in right
            )
        out.extend(pieces[start:end])
        left, left_pos = right, pos
        start = end
    return out


def gram_cover(words: list[str]) -> list[tuple[str, int]] | None:
    """A phrase's words as grams where two common words stand in a row, with the offset of
    each term in the phrase: the words no gram covers stay. None when no gram applies.

    gram_cover(["用", "我们", "厦门"]) → [("用\x1f我们", 0), ("厦门", 2)]
    """
    pairs = [i for i in range(len(words) - 1) if is_common(words[i]) and is_common(words[i + 1])]
    if not pairs:
        return None
    covered = {j for i in pairs for j in (i, i + 1)}
    terms = [(gram(words[i], words[i + 1]), i) for i in pairs]
    terms += [(w, i) for i, w in enumerate(words) if i not in covered]
    return sorted(terms, key=lambda t: t[1])


def word_parts(word: str) -> list[str]:
    """The word cut into its longest dictionary sub-words, left to right; [] when it has none.

    "文明城市" → ["文明", "城市"]; a leftover character is a part of its own:
    "湖里区" → ["湖里", "区"]; "湖里" → [].
    """
    jb = _load()[0]
    subs = {(s, e): w for w, s, e in jb.tokenize(word, "search", True) if (s, e) != (0, len(word))}
    parts: list[str] = []
    i = 0
    while i < len(word):
        ends = [e for (s, e) in subs if s == i]
        end = max(ends) if ends else i + 1
        parts.append(word[i:end])
        i = end
    return parts if len(parts) > 1 and len(parts) < len(word) else []


class ChineseTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer: stacked sub-words when indexing, the precise cut when querying."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pieces = segment(value, stacked=False) if mode == "query" else index_pieces(value)
        for piece in pieces:
            token.text = piece.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = piece.text
            if positions:
                token.pos = start_pos + piece.pos
            if chars:
                token.startchar = start_char + piece.start
                token.endchar = start_char + piece.end
            yield token


def ChineseAnalyzer() -> Composable:
    """The analyzer for every full-text field of the index (schema and query parser)."""
    return ChineseTokenizer()


def query_terms(text: str) -> list[str]:
    """The terms a query string becomes: "湖里區 文明" → ["湖里区", "文明"]."""
    return [p.text for p in segment(text, stacked=False)]
