"""Pinyin-gloss removal, traditional → simplified, and the traditional-text detector."""

from __future__ import annotations

import pytest

from articles.cleaning.script import strip_pinyin_glosses, to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("國內(nèi)新聞", "國內新聞"),
        ("同安區(qū)將以高標(biāo)準(zhǔn)建設", "同安區將以高標準建設"),
        ("廈(xià)門(mén)市(shì)翔安區(qū)", "廈門市翔安區"),
        ("tone digits: 厦门(xia4)新闻(wen2)", "tone digits: 厦门新闻"),
    ],
)
def test_glosses_are_removed(text: str, expected: str) -> None:
    assert strip_pinyin_glosses(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "台海网8月20日讯（记者 邹玒）昨日，厦门……",
        "厦门(Xiamen)是一座海滨城市",
        "厦门大学(2021)百年校庆",
        "He visited Gulangyu (the piano island) in May",
        "中国移动物联网基地(cmiot)正式授牌",
        "基地(ai)项目",
    ],
)
def test_real_brackets_stay(text: str) -> None:
    assert strip_pinyin_glosses(text) == text


def test_toneless_syllables_go_only_in_a_mirror_page() -> None:
    mirror = "國(guó)內(nèi)的(de)新(xīn)聞(wén)"
    assert strip_pinyin_glosses(mirror) == "國內的新聞"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("廈門日報記者從思明區獲悉", "厦门日报记者从思明区获悉"),
        ("厦门日报记者从思明区获悉", "厦门日报记者从思明区获悉"),
        ("", ""),
    ],
)
def test_to_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected
