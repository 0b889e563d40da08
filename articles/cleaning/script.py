"""Traditional → simplified, and pinyin-gloss mirrors. OWNER: cleaning-text helper.

Mirror sites republish simplified articles in traditional characters with the pinyin of some
characters in brackets: 國內(nèi) 同安區(qū)將以高標(biāo)準(zhǔn). The archive is simplified, so glosses are
removed and every page goes through OpenCC t2s (which leaves simplified text as it is).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PLAIN = "aaaaeeeeiiiioooouuuuüüüü"
_FOLD = str.maketrans(_TONED + "ńňǹḿ", _PLAIN + "nnnm")
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|ün|vn"
    r"|ia|ie|iu|ua|uo|ui|ue|üe|ve|er|a|o|e|i|u|ü|v)r?[1-5]?"
)
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# A bracketed lower-case Latin run directly after a CJK character; _is_gloss decides.
_CANDIDATE = re.compile(rf"(?<={_CJK})\(([a-z{_TONED}ü]{{1,7}}[1-5]?)\)")


def _is_syllable(word: str) -> bool:
    return _SYLLABLE.fullmatch(word.translate(_FOLD)) is not None


def _has_tone(word: str) -> bool:
    return any(ch in _TONED for ch in word) or word[-1] in "12345"


def strip_pinyin_glosses(text: str) -> str:
    """Remove "(pinyin)" glosses after CJK characters; other brackets stay.

    "同安區(qū)將以高標(biāo)準(zhǔn)" → "同安區將以高標準"; "（记者 邹玒）" and "厦门(Xiamen)" stay.
    Toneless syllables ("(de)") only go when the text has toned glosses too, so "基地(ai)" in an
    ordinary page keeps its abbreviation.
    """
    candidates = [m.group(1) for m in _CANDIDATE.finditer(text)]
    toned = sum(1 for word in candidates if _has_tone(word) and _is_syllable(word))
    if toned == 0:
        return text

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        keep = not _is_syllable(word) or (toned < 3 and not _has_tone(word))
        return match.group(0) if keep else ""

    return _CANDIDATE.sub(replace, text)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s): "廈門日報" → "厦门日报"."""
    if not text:
        return text
    return str(_converter("t2s").convert(text))


def to_traditional(text: str) -> str:
    """Simplified to traditional (OpenCC s2t): "厦门" → "廈門". Used to score decodings."""
    if not text:
        return text
    return str(_converter("s2t").convert(text))
