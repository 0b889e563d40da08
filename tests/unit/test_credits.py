"""parse_source, parse_site and parse_authors: who published, where from, who wrote."""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning.metadata import parse_authors, parse_published, parse_site, parse_source
from articles.cleaning.types import Author

BAD_INPUT = [[], [""], ["None"], ["null"], ["\x00\ufffd>>>|||___"], ["来源：" * 30_000]]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["2021-11-13 09:11:07    来源:厦门日报"], "厦门日报"),
        (["来源: 东南网"], "东南网"),
        (["文章来源：海峡导报 作者：王小明"], "海峡导报"),
        (["……为市民挽回损失。（来源：海峡导报）"], "海峡导报"),
        (["据厦门晚报报道，昨日"], "厦门晚报"),
        (["（文/厦门日报记者 罗子泓 通讯员 陈晓）"], "厦门日报"),
        (["台海网8月20日讯（记者 邹玒）昨日"], "台海网"),
        (["厦门网讯（记者 张三）3月5日"], "厦门网"),
        (["东南网3月5日讯"], "东南网"),
        (["海西晨报讯 昨日"], "海西晨报"),
        (["【台海网讯】昨日"], "台海网"),
        (["新华社厦门3月5日电 记者"], "新华社"),
        (["来源：中新网"], "中国新闻网"),
        (["来源：厦门日报社"], "厦门日报"),
        (["来源：《厦门晚报》"], "厦门晚报"),
        (["来源：湖里区融媒体中心"], "湖里区融媒体中心"),
        (["来源：厦门市教育局"], "厦门市教育局"),
        (["来源：看厦门客户端"], "看厦门客户端"),
        (["本文来源：中国日报网  作者：信莲"], "中国日报网"),
        (["来源于：东区办事处"], "东区办事处"),
        (["来源：人民网-文化频道"], "人民网"),
        (["来源：EETOP"], "EETOP"),
        (["来源：·水木社区"], "水木社区"),
        (["来源：厦门日报作者：王小明"], "厦门日报"),
        (["来源：厦门日报、东南快报 版权归原作者所有"], "厦门日报"),
    ],
)
def test_source(texts: list[str], expected: str) -> None:
    assert parse_source(texts) == expected


def test_source_line_beats_dateline_and_reporter_credit() -> None:
    texts = ["台海网12月12日讯 据厦门晚报报道 近日", "来源：东南网"]
    assert parse_source(texts) == "东南网"
    assert parse_source(["台海网12月12日讯 据厦门晚报报道 近日"]) == "厦门晚报"


def test_reporter_in_a_sentence_is_no_credit() -> None:
    texts = ["台海网8月20日讯（记者 邹玒）昨日，他接受 新华社记者采访时说。"]
    assert parse_source(texts) == "台海网"
    assert parse_source(["本报讯 厦门晚报记者 张三 昨日获悉"]) == "厦门晚报"


def test_photo_source_is_not_the_article_source() -> None:
    texts = ["（图片来源：美联社）中国日报网1月7日电 综合外媒报道"]
    assert parse_source(texts) == "中国日报网"


@pytest.mark.parametrize(
    "texts",
    [
        ["本报讯（记者 张三）昨日"],
        ["据了解，该项目明年完工。"],
        ["资金来源：财政拨款"],
        ["来源：本站"],
        ["来源：网络"],
        ["来源：这是一个很长的句子，显然不是媒体的名字。"],
        ["来源：东区办事处，负责本次活动。"],
        ["据平台消息"],
        ["据外媒报道"],
        ["记者从市教育局获悉"],
        *BAD_INPUT,
    ],
)
def test_no_source(texts: list[str]) -> None:
    assert parse_source(texts) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.taihainet.com/news/xmnews/2021-11-13/1.html", "台海网"),
        ("http://news.xmnn.cn/xmxw/202111/t20211113_1.htm", "厦门网"),
        ("https://epaper.xmnn.cn/xmrb/20211113/", "厦门日报"),
        ("http://xm.fjsen.com/2021-11/13/content_1.htm", "东南网"),
        ("https://www.163.com/news/article/X.html", "网易"),
        ("https://news.sina.com.cn/c/2019/x.shtml", "新浪网"),
        ("https://www.thepaper.cn/newsDetail_forward_1", "澎湃新闻"),
        ("https://new.qq.com/omn/x.html", "腾讯网"),
        ("https://mp.weixin.qq.com/s/abc", "微信公众号"),
        ("https://baijiahao.baidu.com/s?id=1", "百家号"),
        ("https://mbd.baidu.com/newspage/data/landingsuper?id=1", "百家号"),
        ("https://www.baidu.com/s?wd=厦门", None),
        ("www.guancha.cn/x.shtml", "观察者网"),
        ("HTTP://WWW.PEOPLE.COM.CN/", "人民网"),
    ],
)
def test_site_from_url(url: str, expected: str | None) -> None:
    assert parse_site([], url=url) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["湖里区举办活动_厦门_台海网"], "台海网"),
        (["湖里区举办活动 - 厦门网"], "厦门网"),
        (["五缘湾湿地公园迎来今冬首批候鸟-海峡导报"], "海峡导报"),
        (["常德市金融系统积极开展活动--当代商报"], "当代商报"),
        (["山西品牌丝路行正式启动 - 山西省人民政府门户网站"], "山西省人民政府门户网站"),
        (["微信公众平台"], "微信公众号"),
        (["新浪新闻"], "新浪网"),
        (["中国人习以为常的地方 为何老外却说“了不得”？|公园_新浪新闻"], "新浪网"),
        (["60万账号外泄? 中铁总辟谣|辟谣_新浪财经_新浪网"], "新浪网"),
        (["共享充电宝涨价_10%公司_澎湃新闻-The Paper"], "澎湃新闻"),
        (["多地项目连环爆雷_网易财经"], "网易"),
        (["外媒眼中的武汉长假_首页武汉_新闻中心_长江网_cjn.cn"], "长江网"),
        (["女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网"], "人民网"),
        (["交通运输部：着力打造京津冀区域综合立体交通网络-股票频道-和讯网"], "和讯网"),
        (["大牛股东山精密突然放量跌停_上海新闻网"], "上海新闻网"),
        (["台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文"], "台海网"),
        (["您现在的位置: 台海网 >> 新闻中心 >> 厦门"], "台海网"),
        (["www.taihainet.com 来源: 东南网 用手持设备访问"], "台海网"),
        (["标题", "当前位置：东南网 > 厦门频道 > 正文"], "东南网"),
    ],
)
def test_site_from_texts(texts: list[str], expected: str) -> None:
    assert parse_site(texts) == expected


def test_url_beats_title_suffix() -> None:
    assert parse_site(["转载稿_新浪新闻"], url="https://www.taihainet.com/x") == "台海网"


@pytest.mark.parametrize(
    ("texts", "url"),
    [
        (["您的位置:首页 >国内 >"], None),
        (["打造京津冀区域综合立体交通网"], None),
        (["厦门两位初中生发明牙刷 双双斩获金奖！"], "https://example.org/a"),
        ([], "not a url"),
        ([], "http://[::1"),
        ([], ""),
        *((texts, None) for texts in BAD_INPUT),
    ],
)
def test_no_site(texts: list[str], url: str | None) -> None:
    assert parse_site(texts, url=url) is None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["(文/厦门日报记者 罗子泓 通讯员 陈晓 图/通讯员 李明)"],
            ["记者 罗子泓", "通讯员 陈晓", "通讯员 李明"],
        ),
        (["(记者 邹玒 通讯员 张舒黎)"], ["记者 邹玒", "通讯员 张舒黎"]),
        (["本报记者 张三 李四"], ["记者 张三", "记者 李四"]),
        (["作者：王小明"], ["作者 王小明"]),
        (["文/王小明"], ["作者 王小明"]),
        (["摄影 林志杰"], ["摄影 林志杰"]),
        (["图/记者 黄晓"], ["记者 黄晓"]),
        (["（林铭鸿 摄）"], ["摄影 林铭鸿"]),
        (["（记者 林铭鸿 摄）"], ["记者 林铭鸿"]),
        (["台海网8月20日讯（记者 邹玒）昨日，湖里区召开会议。"], ["记者 邹玒"]),
        (
            ["台海网3月21日讯(海峡导报记者钱玲玲驻福州记者林芹)福建省2018年度公务员考试"],
            ["记者 钱玲玲", "记者 林芹"],
        ),
        (
            ["东南网3月27日讯(本网记者陈楠通讯员刘君华)为警示交通参与者"],
            ["记者 陈楠", "通讯员 刘君华"],
        ),
        (
            ["本报讯 记者 张三 通讯员 李四 昨日，湖里区召开会议，会议由区领导主持，很多人参加。"],
            ["记者 张三", "通讯员 李四"],
        ),
        (
            [
                "拨打110进行咨询举报，如已被骗，更要及时拨打110报警，这是很长的一句话。记者 王玉婷 通讯员 洪恒亮"
            ],
            ["记者 王玉婷", "通讯员 洪恒亮"],
        ),
        (["2021-11-13 来源:厦门日报 作者:王小明 浏览次数:12"], ["作者 王小明"]),
        (["（记者 买买提·艾力 John Smith）"], ["记者 买买提·艾力", "记者 John Smith"]),
        (["（记者 王晶晶报道）"], ["记者 王晶晶"]),
        (["文/图 欧阳小林"], ["作者 欧阳小林"]),
        (["（实习生 周洁 记者 何无痕）"], ["实习生 周洁", "记者 何无痕"]),
        (["（张三/文 李四/图）"], ["作者 张三", "摄影 李四"]),
        (["（张三 李四 摄）"], ["摄影 张三", "摄影 李四"]),
        (["（林铭鸿摄）"], ["摄影 林铭鸿"]),
        (["（记者 张三 报道）"], ["记者 张三"]),
        (["（通讯员 李明 文/图）"], ["通讯员 李明"]),
        (["摄影/张艳 编辑/苏芳"], ["摄影 张艳"]),
        (["（本报记者 张三 驻京记者 李四）"], ["记者 张三", "记者 李四"]),
        (["（长江日报-长江网记者陈智 整合）"], ["记者 陈智"]),
        (["作者：东南网 张三"], ["作者 张三"]),
        (["作者：导报记者 庄严"], ["记者 庄严"]),
        (["（导报 记者 张三）"], ["记者 张三"]),
        (["（记者 何无痕 通讯员 海人社）"], ["记者 何无痕", "通讯员 海人社"]),
        (["（记者 张三 新华社 李四）"], ["记者 张三", "记者 李四"]),
    ],
)
def test_authors(texts: list[str], expected: list[str]) -> None:
    assert [str(a) for a in parse_authors(texts)] == expected


def test_authors_dedupe_first_role_wins_and_page_order() -> None:
    texts = ["（记者 罗子泓 通讯员 陈晓）", "图/罗子泓", "（通讯员 陈晓 李明）"]
    assert parse_authors(texts) == (
        Author("罗子泓", "记者"),
        Author("陈晓", "通讯员"),
        Author("李明", "通讯员"),
    )


@pytest.mark.parametrize(
    "texts",
    [
        ["责任编辑：李四"],
        ["（编辑 张三）"],
        ["本报驻京记者站 张三"],
        ["市民告诉记者，他昨日在湖里区看到了这一幕。"],
        ["记者从市教育局获悉，今年秋季将新增学位。"],
        ["为什么雾霾天如此之多?记者查阅发现，去年同期的雾霾天更多，这是一个长句子。"],
        ["（记者 报道）"],
        ["作者：原创"],
        ["（2021年11月13日）"],
        *BAD_INPUT,
    ],
)
def test_no_authors(texts: list[str]) -> None:
    assert parse_authors(texts) == ()


def _inews_lines(corpus_dir: Path, index: int) -> list[str]:
    with gzip.open(corpus_dir / "inews_web_news.jsonl.gz", "rt", encoding="utf-8") as f:
        record = json.loads(next(itertools.islice(f, index, None)))
    body = str(record["body"]).replace("\\n", "\n")
    return [line.strip() for line in body.splitlines() if line.strip()]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("index", "published", "source", "authors"),
    [
        (1468, "2018-12-13", "厦门广电", []),  # 台海网12月13日讯 据厦门广电网报道
        (3432, "2018-12-12", "厦门晚报", []),  # caption sentence, then 台海网…讯 据厦门晚报报道
        (3724, "2018-03-27", "东南网", ["记者 陈楠", "通讯员 刘君华"]),
        (4766, "2018-03-21", "海峡导报", ["记者 钱玲玲", "记者 林芹"]),
        (6502, None, None, ["记者 王玉婷", "通讯员 洪恒亮"]),  # trailing （记者 … 通讯员 …）
    ],
)
def test_real_xiamen_items(
    corpus_dir: Path, index: int, published: str | None, source: str | None, authors: list[str]
) -> None:
    lines = _inews_lines(corpus_dir, index)
    lead_and_last = [lines[0], lines[-1]]
    date = parse_published(lines[:3], default_year=2018)
    assert (date.isoformat() if date else None) == published
    assert parse_source(lead_and_last) == source
    assert [str(a) for a in parse_authors(lead_and_last)] == authors


@pytest.mark.corpus
def test_real_headline_urls_give_their_sites(corpus_dir: Path) -> None:
    path = corpus_dir / "xiamen_raw" / "homepage_headlines_xmnn_fjsen_2018.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    sites = Counter(parse_site([], url=row["url"]) for row in rows)
    assert sites == Counter({"厦门网": 219, "东南网": 73, "央视网": 1})


_CREDITISH = st.text(
    alphabet="（）()/：: 文图记者通讯员摄影作者来源据报道讯网台社张王李三四厦门日报", max_size=80
)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.text(max_size=200), _CREDITISH), max_size=5), url=st.text())
def test_never_raise(texts: list[str], url: str) -> None:
    source = parse_source(texts)
    assert source is None or 2 <= len(source) <= 20
    assert parse_site(texts, url=url) is None or isinstance(parse_site(texts, url=url), str)
    for author in parse_authors(texts):
        assert author.role in {"记者", "通讯员", "摄影", "作者", "实习生"}
        assert author.name and author.name == author.name.strip()
