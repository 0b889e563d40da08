"""clean_page end to end: text and HTML paths, hints, conversion, review reasons, totality."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.cleaning import Author, CleanArticle, PublishedDate, clean_page, pipeline

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
LEAD = "同安区将以高标准建设汀溪水库环库绿道，全长约18公里，预计今年年底前动工建设，建成后将串联起沿线多个村庄。"
TEXT_PAGE = "\n".join(
    [
        "您现在的位置: 台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文",
        "汀溪水库将建环库绿道",
        "2021-11-13 09:11:07    来源:厦门日报",
        "（记者 林晓晖 通讯员 同宣）",
        LEAD,
        "责任编辑：王小明",
        "相关新闻",
        "同安竹坝华侨农场：老侨房变身文创民宿",
    ]
)


def test_text_page_end_to_end() -> None:
    article = clean_page(TEXT_PAGE.encode("gb18030"))
    assert article.title == "汀溪水库将建环库绿道"
    assert article.paragraphs == (LEAD,)
    assert article.published is not None
    assert article.published.isoformat() == "2021-11-13T09:11:07"
    assert article.source == "厦门日报"
    assert article.site == "台海网"
    assert article.district == "同安区"
    assert article.authors == (Author("林晓晖", "记者"), Author("同宣", "通讯员"))
    assert article.encoding == "gb18030"
    assert article.review_reasons == ()
    assert [kind for kind, _ in article.removed] == [
        "breadcrumb",
        "title",
        "meta",
        "credit",
        "editor",
        "related-block",
        "related-block",
    ]


def test_html_page_end_to_end() -> None:
    page = (
        "<html><head><title>汀溪水库将建环库绿道 - 厦门网</title>"
        '<link rel="canonical" href="https://news.xmnn.cn/xmxw/a.htm"></head><body>'
        "<div class='nav'>首页 新闻 厦门</div><h1>汀溪水库将建环库绿道</h1>"
        "<div class='info'>2021-11-13 09:11 来源：厦门日报</div>"
        f"<div class='TRS_Editor'><p>{LEAD}</p><p>▲环库绿道效果图</p></div>"
        "<div class='share'>分享到：微信</div><div id='footer'>厦门网版权所有</div></body></html>"
    )
    article = clean_page(page.encode("utf-8"))
    assert article.as_dict() == {
        "title": "汀溪水库将建环库绿道",
        "published": "2021-11-13T09:11:00",
        "source": "厦门日报",
        "site": "厦门网",
        "district": "同安区",
        "authors": [],
        "keywords": [],
        "captions": ["环库绿道效果图"],
        "body": LEAD,
        "url": "https://news.xmnn.cn/xmxw/a.htm",
        "needs_review": False,
        "review_reasons": [],
    }


def test_pinyin_mirror_becomes_simplified() -> None:
    page = "國內(nèi)新聞\n2021-11-13 來源：廈門日報\n同安區(qū)將以高標(biāo)準(zhǔn)建設汀溪水庫環庫綠道，全長約18公里，預計今年年底前動工建設。"
    article = clean_page(page)
    assert article.title == "国内新闻"
    assert (
        article.body
        == "同安区将以高标准建设汀溪水库环库绿道，全长约18公里，预计今年年底前动工建设。"
    )
    assert article.source == "厦门日报"


def test_hints_win_over_the_page() -> None:
    article = clean_page(
        TEXT_PAGE,
        hints={
            "title": "汀溪水库将建环库绿道",
            "published": "2021-11-14T07:00:00",
            "source": "东南网",
            "site": "厦门网",
            "district": "翔安区",
            "url": "https://news.xmnn.cn/1.htm",
            "authors": ["记者 罗子泓", "王小明"],
            "keywords": ["绿道", "水库"],
        },
    )
    assert article.published == PublishedDate(2021, 11, 14, dt.time(7, 0), "2021-11-14T07:00:00")
    assert (article.source, article.site, article.district) == ("东南网", "厦门网", "翔安区")
    assert article.url == "https://news.xmnn.cn/1.htm"
    assert article.authors == (Author("罗子泓", "记者"), Author("王小明", ""))
    assert article.keywords == ("绿道", "水库")
    assert article.paragraphs == (LEAD,)


def test_body_hint_is_cleaned_when_there_is_no_page() -> None:
    article = clean_page(
        b"",
        hints={
            "title": "标题",
            "body": f"原标题：旧标题\\n{LEAD}返回搜狐，查看更多 责任编辑：",
            "published": "2021-11-13",
        },
    )
    assert article.title == "标题"
    assert article.paragraphs == (LEAD,)
    assert article.published == PublishedDate(2021, 11, 13, None, "2021-11-13")
    assert ("original-title", "原标题：旧标题") in article.removed


@pytest.mark.parametrize("bad", ["yesterday", "2021-02-30", "", "  ", "0001-01-01", "2999-01-01"])
def test_bad_published_hint_is_ignored(bad: str) -> None:
    article = clean_page(TEXT_PAGE, hints={"published": bad})
    assert article.published is not None
    assert article.published.isoformat() == "2021-11-13T09:11:07"


def test_review_reasons_for_an_empty_page() -> None:
    article = clean_page(b"")
    assert article == CleanArticle(
        title="", paragraphs=(), review_reasons=("未找到日期", "未找到标题", "正文过短")
    )
    assert article.needs_review is True


def test_review_reasons_for_year_less_dateline_and_short_body() -> None:
    article = clean_page("思明区下雨\n台海网8月20日讯 思明区今天下雨。")
    assert article.published is not None
    assert (article.published.year, article.published.month, article.published.day) == (None, 8, 20)
    assert article.review_reasons == ("日期缺少年份", "正文过短")


def test_default_year_completes_a_dateline() -> None:
    article = clean_page("思明区下雨\n台海网8月20日讯 思明区今天下雨。", default_year=2021)
    assert article.published is not None
    assert article.published.isoformat() == "2021-08-20"


def test_broken_bytes_are_flagged() -> None:
    raw = ("标题\n" + LEAD).encode("utf-8")
    article = clean_page(raw[:20] + b"\xff" + raw[20:])
    assert "编码有误" in article.review_reasons
    assert article.encoding == "utf-8"


def test_mojibake_is_flagged_as_not_news() -> None:
    mojibake = (LEAD * 3).encode("gb18030").decode("cp950", errors="ignore")
    article = clean_page("标题\n" + mojibake)
    assert "疑似非新闻" in article.review_reasons


def test_a_failing_metadata_parser_does_not_lose_the_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(texts: object) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(pipeline.metadata, "parse_source", broken)
    article = clean_page(TEXT_PAGE)
    assert article.source is None
    assert article.paragraphs == (LEAD,)


def test_five_megabytes_is_cleaned_quickly() -> None:
    page = ("标题\n" + (LEAD + "\n") * 100_000).encode("utf-8")
    assert len(page) > 5_000_000
    start = time.perf_counter()
    article = clean_page(page)
    assert time.perf_counter() - start < 30
    assert article.title == "标题"
    assert article.paragraphs[0] == LEAD


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_clean_page_never_raises_on_bytes(raw: bytes) -> None:
    article = clean_page(raw)
    assert isinstance(article, CleanArticle)
    assert all(line == line.strip() and line for line in article.paragraphs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000), st.one_of(st.none(), st.integers(min_value=-5, max_value=3000)))
def test_clean_page_never_raises_on_text(text: str, year: int | None) -> None:
    article = clean_page(text, default_year=year, hints={"title": text[:10]})
    assert isinstance(article, CleanArticle)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='content'>",
                "</div>",
                "<h1>",
                "<br>",
                "<title>",
                "&amp;",
                "厦门",
                "来源：",
                "2021-11-13",
                "▲",
                "责任编辑：",
                "\n",
                "<!--",
                "<script>",
                "(nèi)",
            ]
        ),
        max_size=60,
    )
)
def test_clean_page_never_raises_on_markup_soup(parts: list[str]) -> None:
    assert isinstance(clean_page("".join(parts).encode("utf-8")), CleanArticle)


def test_html_filename_sends_a_fragment_down_the_html_path() -> None:
    fragment = f"{LEAD}{LEAD}<br>"
    assert clean_page(fragment, filename="a.html").paragraphs == (LEAD + LEAD,)
    assert clean_page(fragment, filename="a.txt").paragraphs == (fragment,)


def test_a_text_page_without_headline_keeps_its_lead() -> None:
    article = clean_page(f"{LEAD}\n第二段。")
    assert article.title == ""
    assert article.paragraphs == (LEAD, "第二段。")
    assert "未找到标题" in article.review_reasons


def test_string_hints_for_lists_are_split() -> None:
    article = clean_page(
        TEXT_PAGE, hints={"authors": "记者 罗子泓，王小明", "keywords": "绿道、水库"}
    )
    assert article.authors == (Author("罗子泓", "记者"), Author("王小明", ""))
    assert article.keywords == ("绿道", "水库")


@pytest.mark.parametrize("prefix", ["标题：", "标题: ", "题目："])
def test_title_prefix_is_removed(prefix: str) -> None:
    article = clean_page(f"{prefix}汀溪水库将建环库绿道\n{LEAD}")
    assert article.title == "汀溪水库将建环库绿道"
    assert article.paragraphs == (LEAD,)


def test_private_use_paragraph_marks_become_paragraphs_and_no_box_survives() -> None:
    """One feed ends every paragraph with U+E40C instead of a line break; icon fonts draw
    share buttons with private-use glyphs. A reader must see neither as an empty box."""
    second = "记者了解到，该线路全长约30公里，共设车站18座，预计明年年底建成通车。"
    text = f"厦门地铁\ue60a新线路开工\n2021年11月13日 来源：厦门日报\n{LEAD}\ue40c{second}"
    article = clean_page(text)
    assert article.title == "厦门地铁新线路开工"
    assert article.paragraphs == (LEAD, second)
    page = (
        "<html><head><title>汀溪水库将建环库绿道</title></head><body>"
        '<div class="share"><span class="iconfont">\ue60a</span>分享到微信</div>'
        f'<div class="content"><p>2021-11-13 来源：厦门日报</p><p>{LEAD}\ue40c{second}</p>'
        "</div></body></html>"
    )
    article = clean_page(page)
    assert article.paragraphs == (LEAD, second)
    assert not PRIVATE_USE.search(article.title + article.body)
    titled = clean_page(text, hints={"title": "好消息！\ue40c厦门地铁3号线通车"})
    assert titled.title == "好消息！ 厦门地铁3号线通车"


@pytest.mark.corpus
def test_no_private_use_character_survives_the_shared_corpus(corpus_dir: Path) -> None:
    """news_sample.jsonl.gz as found: 132 of its 332 bodies break lines with U+E40C (0 of
    them came out with more than one paragraph before); inews has a traditional-script
    article whose commas became U+E4C7, 114 of them, which must not split its sentences."""

    def cleaned(name: str) -> list[tuple[dict[str, str], CleanArticle]]:
        """The file's records that hold a private-use character, each with its article."""
        with gzip.open(corpus_dir / name, "rt", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        records = [r for r in records if PRIVATE_USE.search(r["body"] or "")]
        return [(r, clean_page(r["body"], hints={"title": r["title"]})) for r in records]

    def private(article: CleanArticle) -> list[str]:
        return PRIVATE_USE.findall("".join((article.title, article.body, *article.captions)))

    sample = cleaned("news_sample.jsonl.gz")
    marked = [a for r, a in sample if "\ue40c" in r["body"]]
    assert (len(sample), len(marked)) == (132, 132)
    assert sum(len(a.paragraphs) > 1 for a in marked) == 112
    inews = cleaned("inews_web_news.jsonl.gz")
    assert len(inews) == 26
    commas = [a for r, a in inews if (r["body"] or "").count("\ue4c7") == 114]
    assert len(commas) == 1
    assert "在深交所规定的最后期限内三全食品终于" in commas[0].body
    assert not [a.title for _, a in sample + inews if private(a)]
