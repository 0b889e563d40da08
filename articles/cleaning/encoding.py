"""Bytes → text, and text → normalised text. OWNER: cleaning-text helper.

Scrapers saved pages as UTF-8 (with or without BOM), UTF-16, GB2312/GBK/GB18030 or Big5, and
the charset they declare is not always the one they used. decode_bytes tries the likely
candidates strictly and, when two legacy encodings both decode, keeps the one that reads as
more ordinary Chinese. normalize_text then removes the differences that do not carry meaning.
"""

from __future__ import annotations

import codecs
import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

REPLACEMENT = "\ufffd"

# The 500 or so most frequent characters of Chinese news text, in simplified form; their
# traditional forms are added at first use (see _common_chars). Mojibake from decoding one
# legacy encoding as the other lands mostly on rare characters.
_COMMON_SIMPLIFIED = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理"
    "心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高"
    "间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老"
    "给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女"
    "变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形"
    "社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程"
    "北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每"
    "济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质"
    "团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称"
    "企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅"
    "考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章"
    "音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪"
    "采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般"
    "普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述"
    "陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判"
    "担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副"
    "乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评"
    "版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误"
    "湖钟奥厦闽街镇记者讯日报晚网"
)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

# Declared charset → the codec we decode it with (supersets: GBK ⊂ GB18030, Big5 ⊂ CP950).
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5",
    "cp950": "big5",
    "utf-16": "utf-16",
}
_CODEC = {"big5": "cp950"}  # label → Python codec
_CHARSET_HINT = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "big5", "utf-16" …


def _strict(raw: bytes, label: str) -> str | None:
    try:
        return raw.decode(_CODEC.get(label, label))
    except (UnicodeDecodeError, LookupError):
        return None


@cache
def _common_chars() -> frozenset[str]:
    from .script import to_traditional

    return frozenset(_COMMON_SIMPLIFIED) | frozenset(to_traditional(_COMMON_SIMPLIFIED))


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def chinese_score(text: str) -> float:
    """Share of CJK characters that are common ones: "厦门日报" → 1.0; mojibake scores low."""
    cjk = _CJK_CHAR.findall(text)
    if not cjk:
        return 0.0
    return sum(map(_common_chars().__contains__, cjk)) / len(cjk)


def cjk_count(text: str) -> int:
    """The number of CJK ideographs: "厦门 Xiamen" → 2."""
    return len(_CJK_CHAR.findall(text))


def _utf16_without_bom(raw: bytes) -> str | None:
    """BOM-less UTF-16: ASCII characters leave a NUL in every other byte."""
    head = raw[:4000]
    if len(head) < 4 or head.count(0) < len(head) // 8:
        return None
    odd_nuls, even_nuls = head[1::2].count(0), head[0::2].count(0)
    if odd_nuls > 3 * even_nuls:
        label = "utf-16-le"
    elif even_nuls > 3 * odd_nuls:
        label = "utf-16-be"
    else:
        return None
    return _strict(raw[: len(raw) - len(raw) % 2], label)


def _declared(raw: bytes) -> str | None:
    match = _CHARSET_HINT.search(raw[:4096])
    if match is None:
        return None
    return _CHARSET_ALIASES.get(match.group(1).decode("ascii").lower())


def decode_bytes(raw: bytes) -> Decoded:
    """Decode a scraped page whatever the scraper saved it as; never raises.

    b"\\xef\\xbb\\xbf\\xe5\\x8e\\xa6" → Decoded("厦", "utf-8-sig")
    "厦门".encode("big5") → Decoded("厦门" in traditional form "廈門", "big5")
    """
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            return Decoded(text, label)
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return Decoded(utf16, "utf-16")
    strict = _strict(raw, "utf-8")
    if strict is not None:
        return Decoded(strict, "utf-8")
    nearly = _nearly_utf8(raw)
    if nearly is not None:
        return Decoded(nearly, "utf-8")
    declared = _declared(raw)
    candidates = {label: _strict(raw, label) for label in ("gb18030", "big5")}
    decoded = {label: text for label, text in candidates.items() if text is not None}
    if declared in decoded and chinese_score(decoded[declared]) >= 0.5:
        return Decoded(decoded[declared], declared)
    best = max(decoded, key=lambda label: chinese_score(decoded[label]), default=None)
    wide = _utf16_all_chinese(raw)
    margin = chinese_score(decoded[best]) + 0.2 if best else 0.5
    if wide is not None and chinese_score(wide) > margin:
        return Decoded(wide, "utf-16")
    if best is not None:
        return Decoded(decoded[best], best)
    return _least_damaged(raw)


def _nearly_utf8(raw: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut-off download): at most 1 replacement per 200
    characters. GBK or Big5 read as UTF-8 breaks on nearly every character instead."""
    text = raw.decode("utf-8", errors="replace")
    broken = text.count(REPLACEMENT)
    return text if broken <= max(1, len(text) // 200) else None


def _utf16_all_chinese(raw: bytes) -> str | None:
    """BOM-less UTF-16 of text with no ASCII in it (so no NUL bytes to spot it by)."""
    if len(raw) % 2:
        return None
    texts = (_strict(raw, label) for label in ("utf-16-le", "utf-16-be"))
    return max((t for t in texts if t), key=chinese_score, default=None)


def _least_damaged(raw: bytes) -> Decoded:
    """Last resort: the decoding with the fewest replacement characters."""
    options = [
        Decoded(raw.decode(_CODEC.get(label, label), errors="replace"), label)
        for label in ("utf-8", "gb18030", "big5")
    ]
    return min(options, key=lambda d: (d.text.count(REPLACEMENT), -chinese_score(d.text)))


# Full-width Latin letters, digits and the ideographic space; Chinese punctuation is kept.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH |= {code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)}
_FULLWIDTH |= {code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)}
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Code points GB18030-2005 (Python's gb18030 codec) decodes into the private use area and
# GB18030-2022 gives their standard ones: ten vertical punctuation forms, eight ideographs.
_GB18030_2022 = {
    0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14,
    0xE792: 0xFE15, 0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19,
    0xE81E: 0x9FB4, 0xE826: 0x9FB5, 0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE832: 0x9FB8,
    0xE843: 0x9FB9, 0xE854: 0x9FBA, 0xE864: 0x9FBB,
}  # fmt: skip
_TRANSLATE = (
    _FULLWIDTH
    | {ord(ch): " " for ch in _SPACES}
    | {ord(ch): None for ch in _ZERO_WIDTH}
    | _GB18030_2022
)
# Any other private-use character shows as an empty box: no font a reader has knows it.
# Scrapers left them as line breaks (one feed ends every paragraph, heading and list item
# with U+E40C), as icon-font glyphs of share buttons, or from a vendor's own code table.
_PRIVATE = "[\ue000-\uf8ff\U000f0000-\U0010ffff]"
_PRIVATE_CHAR = re.compile(_PRIVATE)
_PRIVATE_RUN = re.compile(f"{_PRIVATE}+")
_PRIVATE_AFTER_END = re.compile(f"[。！？!?…”’」』）)］】][ \t]*({_PRIVATE})")
_LITERAL_BREAK = re.compile(r"(?:\\r)?\\n|\\r")
_SPACE_RUN = re.compile(r"[ \t\f\v]+")


def _strip_private_use(text: str) -> str:
    """Private-use characters dropped; one that the text uses as its line break becomes one.

    A code point that follows a sentence's end at least half the times it occurs is taken
    for the text's line break, wherever it stands; any other is dropped.
    "第一段。\\ue40c小标题\\ue40c第二段\\ue60a。" → "第一段。\\n小标题\\n第二段。"
    """
    counts = Counter(_PRIVATE_CHAR.findall(text))
    if not counts:
        return text
    after_end = Counter(_PRIVATE_AFTER_END.findall(text))
    breaks = {ch for ch, n in counts.items() if 2 * after_end[ch] >= n}
    return _PRIVATE_RUN.sub(lambda run: "\n" if breaks.intersection(run.group()) else "", text)


def normalize_text(text: str) -> str:
    """Line breaks, entities, widths and spaces made uniform; one stripped line per paragraph;
    private-use characters dropped or, where the text breaks lines with one, line breaks.

    "ＡＢＣ１２３，\\u3000厦门&amp;漳州\\r\\n\\\\n第二段" → "ABC123， 厦门&漳州\\n第二段"
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LITERAL_BREAK.sub("\n", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_TRANSLATE)
    text = _strip_private_use(text)
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
