"""HTML extraction: the article block, title, meta lines, breadcrumb, captions, url."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from articles.cleaning.html import HtmlPage, extract_html, is_html, strip_title_suffix

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>马銮湾新城再添一所学校_厦门_台海网</title>
<link rel="canonical" href="https://www.taihainet.com/news/xmnews/2021-11/123.html">
<meta property="og:site_name" content="台海网">
<style>p{color:red}</style><script>var x = "不该出现的脚本文字";</script>
</head><body>
<div class="nav"><a>首页</a> <a>新闻</a> <a>厦门</a></div>
<div class="crumbs">您现在的位置: 台海网 &gt;&gt; 新闻中心 &gt;&gt; 厦门</div>
<h1>马銮湾新城再添一所学校</h1>
<div class="info">2021-11-13 09:11:07 来源：厦门日报</div>
<div id="content">
<p>　　马銮湾新城又将迎来一所新学校，预计明年秋季开始招生。</p>
<p><img src="a.jpg"><br>学校效果图</p>
<figure><img src="b.jpg"><figcaption>学校操场</figcaption></figure>
<p>该校为九年一贯制公办学校，可提供学位2700个。</p>
<div class="share">分享到：微信 微博</div>
</div>
<div class="related"><h4>相关新闻</h4><p>海沧新阳街道新增两所幼儿园，今年秋季开园招生。</p></div>
<div id="comments"><p>网友评论：这所学校离我家很近，太好了，期待早日开学！</p></div>
<footer>台海网版权所有</footer>
</body></html>"""


def test_extract_html_full_page() -> None:
    page = extract_html(PAGE)
    assert page == HtmlPage(
        title="马銮湾新城再添一所学校",
        lines=(
            "马銮湾新城又将迎来一所新学校，预计明年秋季开始招生。",
            "该校为九年一贯制公办学校，可提供学位2700个。",
        ),
        meta_lines=("2021-11-13 09:11:07 来源：厦门日报",),
        breadcrumb=("您现在的位置: 台海网 >> 新闻中心 >> 厦门",),
        url="https://www.taihainet.com/news/xmnews/2021-11/123.html",
        captions=("学校效果图", "学校操场"),
        site_hints=("台海网", "马銮湾新城再添一所学校_厦门_台海网"),
    )


def test_block_found_by_text_density_without_known_container() -> None:
    page = extract_html(
        "<html><body><div class='x'><p>短链接一</p><p>短链接二</p></div>"
        "<div class='y'><p>厦门市今年将新建两座口袋公园，方便周边居民休闲。</p>"
        "<p>公园预计年底前建成开放，总面积约三千平方米。</p></div></body></html>"
    )
    assert page.lines == (
        "厦门市今年将新建两座口袋公园，方便周边居民休闲。",
        "公园预计年底前建成开放，总面积约三千平方米。",
    )
    assert page.title == ""


def test_br_separated_paragraphs_become_lines() -> None:
    page = extract_html(
        "<html><head><title>候鸟来了-海峡导报</title></head><body><div class='article'>"
        "（导报记者 庄严 文/图）<br>五缘湾湿地公园迎来今冬首批候鸟，吸引不少市民。<br><br>"
        "湖里区园林部门提醒市民不要投喂。<br></div></body></html>"
    )
    assert page.lines == (
        "（导报记者 庄严 文/图）",
        "五缘湾湿地公园迎来今冬首批候鸟，吸引不少市民。",
        "湖里区园林部门提醒市民不要投喂。",
    )
    assert page.title == "候鸟来了"


def test_og_url_is_used_without_canonical() -> None:
    page = extract_html(
        '<html><head><meta property="og:url" content="http://xm.fjsen.com/a.htm"></head>'
        "<body><p>东南网讯，厦门今日天气晴好，最高气温二十八度。</p></body></html>"
    )
    assert page.url == "http://xm.fjsen.com/a.htm"


def test_form_wrapping_the_page_and_self_closed_button_keep_the_article() -> None:
    page = extract_html(
        "<html><body><form><button class='btn' /><div id='content'>"
        "<p>思明区今天举行社区运动会，上千名居民参加。</p></div></form></body></html>"
    )
    assert page.lines == ("思明区今天举行社区运动会，上千名居民参加。",)


@pytest.mark.parametrize(
    "text", ["", "   ", "<<<>>>", "<?xml version='1.0'?><html></html>", "\x00\x01"]
)
def test_unparseable_or_empty_markup_gives_an_empty_page(text: str) -> None:
    page = extract_html(text)
    assert page.lines == ()
    assert page.title == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<html><body><p>厦门</p></body></html>", True),
        ("<div>厦门<br>新闻</div>", True),
        ("厦门<新闻>今天", False),
        ("记者 a>b 的比较", False),
        ("", False),
    ],
)
def test_is_html(text: str, expected: bool) -> None:
    assert is_html(text) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("马銮湾新城再添一所学校_厦门_台海网", "马銮湾新城再添一所学校"),
        ("同安汀溪水库周边将建环库绿道 - 厦门网", "同安汀溪水库周边将建环库绿道"),
        (
            "中国人习以为常的地方 为何老外却说“了不得”？|公园_新浪新闻",
            "中国人习以为常的地方 为何老外却说“了不得”？",
        ),
        ("女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网", "女儿出嫁，郑板桥画了几笔兰花当嫁妆"),
        ("阿里发布最强AI芯片：一块顶十块GPU-EDN 电子技术设计", "阿里发布最强AI芯片：一块顶十块GPU"),
        ("1-10月德清县固定资产投资结构趋稳趋优", "1-10月德清县固定资产投资结构趋稳趋优"),
        ("_厦门_台海网", ""),
        ("", ""),
    ],
)
def test_strip_title_suffix(title: str, expected: str) -> None:
    assert strip_title_suffix(title) == expected


@pytest.mark.corpus
def test_real_sina_page(corpus_dir: Path) -> None:
    """sina.com.cn page (GNE test page sina/2.html): body found, furniture gone."""
    with gzip.open(corpus_dir / "raw_pages_cn_news.jsonl.gz", "rt", encoding="utf-8") as handle:
        record = [json.loads(line) for line in handle][39]
    page = extract_html(record["html"])
    assert page.title == '60万"12306账号"外泄? 中铁总辟谣称消息不实'
    assert page.lines[0].startswith("新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料")
    text = "\n".join(page.lines)
    assert "var " not in text
    assert "新浪简介" not in text


def test_keywords_box_and_labelled_date_below_the_block() -> None:
    """zsnews.cn-style table page: headline in a <span>, date line after the article."""
    page = extract_html(
        "<html><head><title>顺德区大良街道调研组到众创金融街开展调研 东区办事处_中山网</title></head><body><table>"
        "<tr><td><span class='Title'><b>顺德区大良街道调研组到众创金融街开展调研</b></span><br>"
        "<font>来源于：东区办事处</font></td></tr>"
        "<tr><td><p>2019年2月27日下午，调研组一行八人到众创金融街进行实地考察调研。</p></td></tr>"
        "<tr><td><font>发布日期：2019-03-06 责任编辑：龙慧</font></td></tr>"
        "<tr><td><div class='kw'><label>关键字 : </label><a>金融街</a></div>"
        "<a>我要反馈</a></td></tr></table></body></html>"
    )
    assert page.title == "顺德区大良街道调研组到众创金融街开展调研"
    assert page.meta_lines == ("来源于：东区办事处", "发布日期：2019-03-06 责任编辑：龙慧")
    assert page.keyword_lines == ("关键字 : 金融街",)
    assert page.lines == ("2019年2月27日下午，调研组一行八人到众创金融街进行实地考察调研。",)
