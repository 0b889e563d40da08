"""detect_district: weighted gazetteer evidence → one of the six districts, or None."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning.gazetteer import DISTRICTS, GAZETTEER
from articles.cleaning.metadata import detect_district


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("禾山街道开展垃圾分类宣传，禾山社区居民参加。", "湖里区"),
        ("游客在鼓浪屿日光岩排队。", "思明区"),
        ("杏林湾畔的集美新城。", "集美区"),
        ("马銮湾新城建设提速，海沧加快发展。", "海沧区"),
        ("大嶝岛上的翔安新机场。", "翔安区"),
        ("汀溪水库水位上涨，汀溪镇发布预警。", "同安区"),
        ("厦门大学翔安校区迎来新生，翔安区交通加密。", "翔安区"),
        ("集美大学举行毕业典礼，集美学村游客多。", "集美区"),
        ("思明南路拓宽工程，厦大师生出行更方便。", "思明区"),
        ("同安路一带，同安一中附近。", "同安区"),
    ],
)
def test_single_place_in_body(body: str, expected: str) -> None:
    assert detect_district(title="", breadcrumb=[], body=body) == expected


def test_one_body_mention_is_not_enough_but_one_title_mention_is() -> None:
    body = "他毕业于厦门大学，现在北京工作。"
    assert detect_district(title="", breadcrumb=[], body=body) is None
    assert detect_district(title="厦门大学举行开学典礼", breadcrumb=[], body="") == "思明区"
    assert detect_district(title="", breadcrumb=["各区报道", "海沧"], body="") == "海沧区"


def test_district_name_counts_once_with_its_suffix() -> None:
    # 湖里区 is one mention, not 湖里 + 湖里区: 2 湖里区 vs 2 思明区 is a tie
    body = "湖里区和湖里区，鼓浪屿与中山路"
    assert detect_district(title="", breadcrumb=[], body=body) is None


def test_title_outweighs_body() -> None:
    body = "湖里区 湖里区 湖里区 湖里区"
    assert detect_district(title="海沧新阳街道举办活动", breadcrumb=[], body=body) == "海沧区"


def test_body_majority_beats_single_title_mention() -> None:
    body = "湖里区 五缘湾 江头 禾山 殿前 高崎"
    assert detect_district(title="思明区举办活动", breadcrumb=[], body=body) == "湖里区"


def test_breadcrumb_weight() -> None:
    crumbs = ["台海网", "新闻中心", "厦门", "各区报道", "海沧"]
    assert detect_district(title="", breadcrumb=crumbs, body="鼓浪屿 中山路") == "海沧区"


def test_tie_broken_by_title_evidence() -> None:
    # scores: 集美区 5 (title), 湖里区 5 (body); the title decides
    body = "湖里 湖里 湖里 湖里 湖里"
    assert detect_district(title="集美区举办活动", breadcrumb=[], body=body) == "集美区"


@pytest.mark.parametrize(
    ("title", "breadcrumb", "body"),
    [
        ("厦门举办马拉松", [], "全市各区市民参加。"),
        ("", [], "湖里区 思明区"),
        ("", [], ""),
        ("None", ["None"], "None"),
        ("\x00\ufffd", [">>>"], "<<<" * 1000),
        ("", [], "x" * 1_000_000),
        ("同安区与翔安区", [], ""),
    ],
)
def test_no_district(title: str, breadcrumb: list[str], body: str) -> None:
    assert detect_district(title=title, breadcrumb=breadcrumb, body=body) is None


def test_non_string_input_does_not_raise() -> None:
    assert detect_district(title=None, breadcrumb=None, body=None) is None  # type: ignore[arg-type]


def test_gazetteer_has_fifteen_places_per_district_and_no_duplicates() -> None:
    assert tuple(GAZETTEER) == DISTRICTS
    names = [name for places in GAZETTEER.values() for name in places]
    assert len(names) == len(set(names))
    assert min(len(places) for places in GAZETTEER.values()) >= 15


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("双方将维护共同安全。", None),
        ("请大家协同安排好时间。", None),
        ("小狗掉进湖里，民警施救。", None),
        ("她集美貌与智慧于一身。", None),
        ("杏林春暖，医者仁心。", None),
        ("鉴真东渡日本。", None),
        ("福州数字中国会展中心预计明年建成。", None),
        ("活动在湖里区举行，湖里区居民参加。", "湖里区"),
        ("同安路口发生事故，同安交警到场。", "同安区"),
        ("杏林湾畔，杏林湾路。", "集美区"),
        ("厦门大学附属翔安医院开诊，翔安居民就医方便。", "翔安区"),
    ],
)
def test_false_friends(body: str, expected: str | None) -> None:
    assert detect_district(title="", breadcrumb=[], body=body) == expected


@pytest.mark.corpus
def test_real_headlines(corpus_dir: Path) -> None:
    """厦门网 / 东南网 home-page headlines of March 2018 (titles only)."""
    path = corpus_dir / "xiamen_raw" / "homepage_headlines_xmnn_fjsen_2018.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    found = {r["title"]: detect_district(title=r["title"], breadcrumb=[], body="") for r in rows}
    assert found["厦门地铁2号线江头站附近将临时交通管制"] == "湖里区"
    assert found["一起去厦门园博苑，感受春意吧"] == "集美区"
    assert found['思明区试点"其他垃圾"直收直运 已开通17条线路'] == "思明区"
    assert found["天竺山森林公园盛开的黄花风铃木"] == "海沧区"
    assert found["第二届翔安缤纷购开幕 200万汽车助购金等你拿"] == "翔安区"
    assert found["厦门中山公园"] == "思明区"
    assert found["福州数字中国会展中心预计明年4月建成"] is None  # not Xiamen's 会展中心
    assert found["厦门最大城市综合体今年亮相 2021年陆续投用"] is None  # the city as a whole
    assert found['厦大等新增或撤销多个专业 厦门医学院增"精神医学"专业'] is None  # 思明 = 集美


@pytest.mark.corpus
def test_real_article_bodies(corpus_dir: Path) -> None:
    wanted = {1468: "集美区", 4697: "同安区", 5751: "海沧区", 3540: None}
    found: dict[int, str | None] = {}
    with gzip.open(corpus_dir / "inews_web_news.jsonl.gz", "rt", encoding="utf-8") as f:
        for index, line in enumerate(f):
            if index in wanted:
                r = json.loads(line)
                found[index] = detect_district(title=r["title"], breadcrumb=[], body=r["body"])
    assert found == wanted


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(alphabet="思明湖里集美海沧同安翔区鼓浪屿杏林的在进 ", max_size=40),
    crumbs=st.lists(st.text(max_size=20), max_size=4),
    body=st.text(max_size=300),
)
def test_never_raises_and_names_a_district(title: str, crumbs: list[str], body: str) -> None:
    assert detect_district(title=title, breadcrumb=crumbs, body=body) in (*DISTRICTS, None)
