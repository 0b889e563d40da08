"""decode_bytes and normalize_text: every encoding scrapers saved pages in, and the
normalisation rules of the cleaning conventions."""

from __future__ import annotations

import pytest

from articles.cleaning.encoding import Decoded, chinese_score, decode_bytes, normalize_text

LEAD = "厦门日报记者昨日从思明区获悉，鼓浪屿将迎来新一轮整治。"
LEAD_TRAD = "廈門日報記者昨日從思明區獲悉，鼓浪嶼將迎來新一輪整治。"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (LEAD.encode("utf-8"), Decoded(LEAD, "utf-8")),
        (LEAD.encode("utf-8-sig"), Decoded(LEAD, "utf-8-sig")),
        (LEAD.encode("utf-16"), Decoded(LEAD, "utf-16")),
        (LEAD.encode("gb18030"), Decoded(LEAD, "gb18030")),
        (LEAD.encode("gbk"), Decoded(LEAD, "gb18030")),
        (LEAD.encode("gb2312"), Decoded(LEAD, "gb18030")),
        (LEAD_TRAD.encode("big5"), Decoded(LEAD_TRAD, "big5")),
        (b"", Decoded("", "utf-8")),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "gb18030", "gbk", "gb2312", "big5", "empty"],
)
def test_decode_bytes_known_encodings(raw: bytes, expected: Decoded) -> None:
    assert decode_bytes(raw) == expected


def test_utf16_le_without_bom_is_found_by_its_nul_bytes() -> None:
    page = "<p>厦门 Xiamen 2021</p>"
    assert decode_bytes(page.encode("utf-16-le")) == Decoded(page, "utf-16")


def test_utf16_without_bom_and_without_ascii_is_found_by_the_characters() -> None:
    assert decode_bytes(LEAD.encode("utf-16-le")) == Decoded(LEAD, "utf-16")
    assert decode_bytes(LEAD.encode("utf-16-be")) == Decoded(LEAD, "utf-16")


def test_declared_charset_is_honoured_when_it_decodes() -> None:
    page = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>厦门</p>'
    assert decode_bytes(page.encode("gbk")) == Decoded(page, "gb18030")


def test_wrong_declared_charset_loses_to_the_bytes() -> None:
    page = '<meta charset="big5"><p>' + LEAD + "</p>"
    assert decode_bytes(page.encode("gb18030")) == Decoded(page, "gb18030")


def test_broken_byte_gives_replacement_character_not_an_error() -> None:
    raw = "厦门".encode("gb18030") + b"\xff" + "新闻".encode("gb18030")
    decoded = decode_bytes(raw)
    assert decoded.text == "厦门\ufffd新闻"
    assert decoded.encoding == "gb18030"


def test_binary_garbage_never_raises() -> None:
    decoded = decode_bytes(bytes(range(256)) * 3)
    assert isinstance(decoded.text, str)
    assert "\ufffd" in decoded.text


def test_chinese_score_prefers_real_text_over_mojibake() -> None:
    mojibake = LEAD.encode("gb18030").decode("cp950", errors="replace")
    assert chinese_score("厦门日报记者") == 1.0
    assert chinese_score(LEAD) == 0.72
    assert chinese_score(mojibake) == pytest.approx(1 / 12)
    assert chinese_score("abc") == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一段\r\n第二段\r第三段", "第一段\n第二段\n第三段"),
        ("原标题：厦门\\n正文第一段\\n正文第二段", "原标题：厦门\n正文第一段\n正文第二段"),
        ("ＡＢＣ１２３ｘｙｚ", "ABC123xyz"),
        ("记者（邹玒）说：“好！”【厦门】《日报》、", "记者（邹玒）说：“好！”【厦门】《日报》、"),
        ("厦门&amp;漳州&nbsp;泉州&#21414;", "厦门&漳州 泉州厦"),
        ("\u3000\u3000思明区\u00a0\u00a0今天\u200b晴\ufeff", "思明区 今天晴"),
        ("  多   个    空格  ", "多 个 空格"),
        ("第一段\n\n\n   \n第二段", "第一段\n第二段"),
        ("", ""),
        ("车厢等。\ue40c论坛上，他说：“好。”\ue40c“我们", "车厢等。\n论坛上，他说：“好。”\n“我们"),
        ("出院。 \ue40c\ue40c2012年", "出院。\n2012年"),
        ("食品安全問題\ue4c7公司應該", "食品安全問題公司應該"),
        ("\ue60a 分享到微信 \U000f0001", "分享到微信"),
        ("\ue78d\ue81e\ue864", "\ufe10\u9fb4\u9fbb"),
    ],
    ids=[
        "crlf",
        "literal-n",
        "fullwidth",
        "keep-cn-punct",
        "entities",
        "spaces",
        "runs",
        "blank",
        "empty",
        "private-use-paragraph-mark",
        "private-use-run-after-space",
        "private-use-inline",
        "private-use-icons",
        "gb18030-2022",
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_gb18030_bytes_of_2022_characters_decode_to_standard_code_points() -> None:
    """Python's gb18030 is the 2005 table: FE59 decodes to U+E81E, which no font draws."""
    raw = "厦门新闻".encode("gb18030") + b"\xfe\x59\xa6\xd9"
    assert decode_bytes(raw).text == "厦门新闻\ue81e\ue78d"
    assert normalize_text(decode_bytes(raw).text) == "厦门新闻\u9fb4\ufe10"
