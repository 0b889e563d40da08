"""The reader's site: home, article pages, district/source/archive lists and Atom feeds.

A small set of articles made through the ORM (three outlets, three districts, one hidden, one
undated); each page is read back with lxml and compared with exact expected values.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from urllib.parse import quote

import pytest
from django.urls import reverse
from lxml import etree, html

from articles import selectors
from articles.cleaning.types import text_fingerprint
from articles.models import Article, District, Source

ATOM = "{http://www.w3.org/2005/Atom}"
RIBAO_URL = "/sources/" + quote("厦门日报") + "/"

pytestmark = pytest.mark.django_db


def make(title: str, **fields: object) -> Article:
    fields.setdefault("body", f"{title}的第一段。\n第二段。")
    fingerprint = text_fingerprint(f"{title}\n{fields['body']}")
    return Article.objects.create(title=title, fingerprint=fingerprint, **fields)


@pytest.fixture
def news() -> dict[str, Article]:
    """A1/A2 share a keyword, district and day (other outlets); A5 is hidden; A6 is undated."""
    ribao = Source.objects.create(name="厦门日报", slug="厦门日报")
    wanbao = Source.objects.create(name="厦门晚报", slug="xmwb")
    taihai = Source.objects.create(name="台海网", slug="taihai")
    xmnn = Source.objects.create(name="厦门网", slug="xmnn")
    huli, siming, haicang = (District.objects.get(slug=s) for s in ("huli", "siming", "haicang"))
    return {
        "a1": make(
            "湖里区志愿服务队扩容至两万人",
            body="湖里区文明办消息，志愿服务队扩容至两万人。\n\n  \n志愿者将走进社区。",
            published_date=dt.date(2021, 11, 3),
            published_time=dt.time(9, 30),
            source=ribao,
            site=xmnn,
            district=huli,
            authors=[{"role": "记者", "name": "罗子泓"}, {"role": "通讯员", "name": "湖宣"}],
            keywords=["志愿服务", "文明城市"],
            captions=["图为志愿者在社区服务。", "图为启动仪式现场。"],
            url="https://news.xmnn.cn/xmnn/2021/11/03/a1.shtml",
        ),
        "a2": make(
            "湖里：志愿者走上街头",
            published_date=dt.date(2021, 11, 3),
            source=wanbao,
            district=huli,
            keywords=["志愿服务"],
        ),
        "a3": make(
            "思明区中山路步行街改造完工",
            published_date=dt.date(2021, 10, 8),
            published_time=dt.time(18, 5),
            source=ribao,
            district=siming,
            keywords=["中山路"],
        ),
        "a4": make(
            "海沧湾公园周末音乐会",
            published_date=dt.date(2020, 8, 1),
            published_time=dt.time(15, 0),
            source=taihai,
            district=haicang,
        ),
        "a5": make(
            "已隐藏的湖里志愿服务报道",
            published_date=dt.date(2021, 11, 3),
            source=wanbao,
            district=huli,
            keywords=["志愿服务"],
            status=Article.Status.HIDDEN,
        ),
        "a6": make("日期不详的台海网报道", published_text="11月13日", source=taihai),
    }


def page(client, url: str, status: int = 200) -> html.HtmlElement:
    response = client.get(url)
    assert response.status_code == status
    return html.fromstring(response.content.decode())


def texts(tree: html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def item_titles(tree: html.HtmlElement, within: str = "//main") -> list[str]:
    return texts(tree, within + "//li[@class='result']//h3")


def item_links(tree: html.HtmlElement, within: str = "//main") -> list[str]:
    return tree.xpath(within + "//li[@class='result']//h3/a/@href")


def heading_levels(tree: html.HtmlElement) -> list[int]:
    return [int(h.tag[1]) for h in tree.xpath("//main//*[self::h1 or self::h2 or self::h3]")]


def feed_alternates(tree: html.HtmlElement) -> list[str]:
    return tree.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")


# --- Home -----------------------------------------------------------------------------------


def test_home_lists_latest_published_articles_newest_first(client, news):
    tree = page(client, "/")
    assert item_titles(tree, "//section[@aria-labelledby='latest-title']") == [
        "湖里区志愿服务队扩容至两万人",
        "湖里：志愿者走上街头",
        "思明区中山路步行街改造完工",
        "海沧湾公园周末音乐会",
        "日期不详的台海网报道",
    ]
    metas = texts(tree, "//section[@aria-labelledby='latest-title']//p[@class='result__meta']")
    assert metas[0] == "2021年11月3日 09:30 厦门日报 湖里区"
    assert metas[1] == "2021年11月3日 厦门晚报 湖里区"
    assert metas[4] == "日期不详 台海网"
    assert item_links(tree)[0] == f"/articles/{news['a1'].pk}/"


def test_home_counts_every_district_including_zero(client, news):
    tree = page(client, "/")
    cells = tree.xpath("//ul[@class='district-grid']//a")
    assert [(a.get("href"), " ".join(a.text_content().split())) for a in cells] == [
        ("/districts/siming/", "思明区 1 篇"),
        ("/districts/huli/", "湖里区 2 篇"),
        ("/districts/jimei/", "集美区 0 篇"),
        ("/districts/haicang/", "海沧区 1 篇"),
        ("/districts/tongan/", "同安区 0 篇"),
        ("/districts/xiangan/", "翔安区 0 篇"),
    ]


def test_home_counts_sources_and_years_with_links(client, news):
    tree = page(client, "/")
    sources = tree.xpath("//section[@aria-labelledby='sources-title']//a")
    assert [(a.get("href"), " ".join(a.text_content().split())) for a in sources] == [
        (RIBAO_URL, "厦门日报 2 篇"),
        ("/sources/taihai/", "台海网 2 篇"),
        ("/sources/xmwb/", "厦门晚报 1 篇"),
    ]
    years = tree.xpath("//section[@aria-labelledby='years-title']//ul//a")
    assert [(a.get("href"), " ".join(a.text_content().split())) for a in years] == [
        ("/archive/2021/", "2021年 3 篇"),
        ("/archive/2020/", "2020年 1 篇"),
    ]


def test_home_has_a_labelled_search_box_and_the_latest_feed(client, news):
    tree = page(client, "/")
    form = tree.xpath("//main//form[@role='search']")[0]
    assert form.get("action") == "/search/"
    assert form.xpath(".//input/@name") == ["q"]
    assert form.xpath(".//label/@for") == form.xpath(".//input/@id") == ["home-q"]
    assert feed_alternates(tree) == ["/feeds/latest/"]


def test_home_without_articles_says_so(client):
    tree = page(client, "/")
    assert texts(tree, "//p[@class='reader-empty']") == ["还没有文章。", "暂无来源。"]
    assert texts(tree, "//ul[@class='district-grid']//a")[0] == "思明区 0 篇"


# --- Article page ---------------------------------------------------------------------------


def test_article_page_shows_every_field(client, news):
    a1 = news["a1"]
    tree = page(client, a1.get_absolute_url())
    assert texts(tree, "//h1") == ["湖里区志愿服务队扩容至两万人"]
    assert tree.xpath("//title")[0].text == "湖里区志愿服务队扩容至两万人 - 厦门新闻检索"
    meta = {
        dt_.text_content(): " ".join(dt_.getnext().text_content().split())
        for dt_ in tree.xpath("//dl[@class='article__meta']//dt")
    }
    assert meta == {
        "日期": "2021年11月3日 09:30",
        "来源": "厦门日报",
        "网站": "厦门网",
        "行政区": "湖里区",
        "作者": "记者 罗子泓通讯员 湖宣",
    }
    assert tree.xpath("//dl//time/@datetime") == ["2021-11-03T09:30"]
    assert tree.xpath("//dl//a/@href") == [RIBAO_URL, "/districts/huli/"]
    assert texts(tree, "//ul[@class='article__authors']/li") == ["记者 罗子泓", "通讯员 湖宣"]
    assert texts(tree, "//div[@class='article__body']/p") == [
        "湖里区文明办消息，志愿服务队扩容至两万人。",
        "志愿者将走进社区。",
    ]
    assert texts(tree, "//ul[@class='captions']//figcaption") == [
        "图为志愿者在社区服务。",
        "图为启动仪式现场。",
    ]


def test_article_keywords_link_to_searches_and_original_url_is_nofollow(client, news):
    tree = page(client, news["a1"].get_absolute_url())
    tags = tree.xpath("//ul[@class='tags']//a")
    assert [(a.text, a.get("href")) for a in tags] == [
        ("志愿服务", "/search/?q=" + quote("志愿服务")),
        ("文明城市", "/search/?q=" + quote("文明城市")),
    ]
    original = tree.xpath("//p[@class='article__original']/a")[0]
    assert original.get("href") == "https://news.xmnn.cn/xmnn/2021/11/03/a1.shtml"
    assert original.get("rel") == "nofollow noopener"


def test_article_related_and_same_day_skip_hidden_and_self(client, news):
    tree = page(client, news["a1"].get_absolute_url())
    assert item_titles(tree, "//section[@aria-labelledby='same-day-title']") == [
        "湖里：志愿者走上街头"
    ]
    # Related too, but shown once: under the same day.
    assert item_titles(tree, "//section[@aria-labelledby='related-title']") == []
    make(
        "湖里区志愿服务队走进社区",
        published_date=dt.date(2021, 12, 1),
        source=news["a1"].source,
        district=news["a1"].district,
        keywords=["志愿服务"],
    )
    tree = page(client, news["a1"].get_absolute_url())
    assert item_titles(tree, "//section[@aria-labelledby='related-title']") == [
        "湖里区志愿服务队走进社区"
    ]
    tree = page(client, news["a2"].get_absolute_url())
    assert item_titles(tree, "//section[@aria-labelledby='same-day-title']") == [
        "湖里区志愿服务队扩容至两万人"
    ]
    assert "已隐藏" not in tree.text_content()


def test_undated_article_says_date_unknown_with_the_pages_words(client, news):
    tree = page(client, news["a6"].get_absolute_url())
    date = tree.xpath("//dl[@class='article__meta']//dt[.='日期']/following-sibling::dd")[0]
    assert " ".join(date.text_content().split()) == "日期不详 （原文：11月13日）"
    assert tree.xpath("//dl//time") == []
    assert texts(tree, "//section[@aria-labelledby='same-day-title']/p") == [
        "日期不详，无法查找同日报道。"
    ]
    assert texts(tree, "//section[@aria-labelledby='related-title']/p") == ["暂无相关报道。"]
    assert tree.xpath("//p[@class='article__original']") == []
    assert tree.xpath("//ul[@class='tags']") == []


def test_article_without_other_outlets_that_day(client, news):
    tree = page(client, news["a4"].get_absolute_url())
    assert texts(tree, "//section[@aria-labelledby='same-day-title']/p") == [
        "当天没有其他媒体的报道。",
        "8月1日的全部报道 › · 2020年8月归档 ›",
    ]
    assert tree.xpath("//section[@aria-labelledby='same-day-title']/p/a/@href") == [
        "/search/?from=2020-08-01&to=2020-08-01&sort=newest",
        "/archive/2020/8/",
    ]


@pytest.mark.parametrize("url", ["/articles/999999/", "/articles/abc/", "/articles/-1/"])
def test_unknown_article_is_404(client, news, url):
    assert client.get(url).status_code == 404


def test_not_found_page_is_the_sites_own_in_chinese(client, news):
    tree = page(client, "/articles/999999/", status=404)
    assert tree.get("lang") == "zh-Hans"
    assert texts(tree, "//h1") == ["没有找到这个页面"]
    assert tree.xpath("//form[@action='/search/']//input[@name='q']/@id") == ["error-q"]
    assert tree.xpath("//ul[@class='error-page__links']//a/@href") == [
        "/",
        "/search/?sort=newest",
        "/archive/",
    ]


def test_server_error_page_needs_no_request_or_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert '<html lang="zh-Hans">' in html
    assert '<h1 id="error-title" class="page-title">服务器出了点问题</h1>' in html


def test_header_nav_marks_the_archive_section(client, news):
    tree = page(client, "/archive/2021/11/")
    nav = tree.xpath("//nav[@aria-label='主导航']//a")
    assert [(a.text, a.get("aria-current")) for a in nav] == [
        ("首页", None),
        ("检索", None),
        ("归档", "true"),
    ]


def test_hidden_article_is_404_and_absent_from_every_list(client, news):
    assert client.get(news["a5"].get_absolute_url()).status_code == 404
    for url in ["/", "/districts/huli/", "/sources/xmwb/", "/archive/2021/11/", "/feeds/latest/"]:
        assert "已隐藏" not in client.get(url).content.decode(), url


def test_markup_in_title_body_and_keywords_is_escaped(client, news):
    bad = make(
        "<script>alert(1)</script>标题",
        body="<b>正文</b>一段",
        published_date=dt.date(2022, 1, 1),
        keywords=['"><img src=x onerror=alert(2)>'],
        captions=["<i>图</i>"],
        url='https://example.com/"onmouseover="alert(3)',
    )
    body = client.get(bad.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题</h1>" in body
    assert "<p>&lt;b&gt;正文&lt;/b&gt;一段</p>" in body
    assert "<img src=x" not in body
    assert "<i>图</i>" not in body
    tree = html.fromstring(body)
    assert texts(tree, "//ul[@class='tags']//a") == ['"><img src=x onerror=alert(2)>']
    assert tree.xpath("//ul[@class='tags']//a/@href") == [
        "/search/?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%282%29%3E"
    ]
    assert tree.xpath("//p[@class='article__original']/a/@onmouseover") == []
    home = client.get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in home
    assert "<script>alert(1)" not in home
    year = client.get("/archive/2022/").content.decode()  # list items lead with the body
    assert '<p class="result__snippet">&lt;b&gt;正文&lt;/b&gt;一段</p>' in year


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "ftp://x/y"])
def test_only_web_addresses_become_original_links(client, url):
    article = make("奇怪的原文链接", url=url)
    tree = page(client, article.get_absolute_url())
    assert tree.xpath("//p[@class='article__original']") == []
    assert url not in tree.text_content()


# --- Browse by district and source ----------------------------------------------------------


def test_district_page_lists_its_published_articles(client, news):
    tree = page(client, "/districts/huli/")
    assert texts(tree, "//h1") == ["湖里区"]
    assert texts(tree, "//p[@class='list-header__count']") == ["共 2 篇报道"]
    assert item_titles(tree) == ["湖里区志愿服务队扩容至两万人", "湖里：志愿者走上街头"]
    assert feed_alternates(tree) == ["/feeds/districts/huli/"]
    assert tree.xpath("//ul[@class='list-header__links']//a/@href") == [
        "/search/?district=" + quote("湖里区"),
        "/feeds/districts/huli/",
    ]
    assert tree.xpath("//nav[@class='pagination']") == []
    assert texts(tree, "//li[@class='result']/p[@class='result__snippet']")[0] == (
        "湖里区文明办消息，志愿服务队扩容至两万人。"  # the first paragraph leads the item
    )
    switcher = tree.xpath("//nav[@aria-label='行政区']//a")
    assert [(a.text, a.get("href"), a.get("aria-current")) for a in switcher] == [
        ("思明区", "/districts/siming/", None),
        ("湖里区", "/districts/huli/", "page"),
        ("集美区", "/districts/jimei/", None),
        ("海沧区", "/districts/haicang/", None),
        ("同安区", "/districts/tongan/", None),
        ("翔安区", "/districts/xiangan/", None),
    ]


def test_empty_district_page(client, news):
    tree = page(client, "/districts/xiangan/")
    assert texts(tree, "//p[@class='list-header__count']") == ["共 0 篇报道"]
    assert texts(tree, "//p[@class='reader-empty']") == ["暂无报道。"]


def test_district_pages_are_20_a_page(client, news):
    jimei = District.objects.get(slug="jimei")
    for day in range(1, 23):
        make(f"集美学村第{day}篇", published_date=dt.date(2019, 1, day), district=jimei)
    first = page(client, "/districts/jimei/")
    titles = item_titles(first)
    assert len(titles) == 20
    assert titles[0] == "集美学村第22篇"
    assert titles[-1] == "集美学村第3篇"
    assert texts(first, "//p[@class='list-header__count']") == ["共 22 篇报道"]
    assert first.xpath("//a[@rel='next']/@href") == ["/districts/jimei/?page=2"]
    second = page(client, "/districts/jimei/?page=2")
    assert item_titles(second) == ["集美学村第2篇", "集美学村第1篇"]
    assert second.xpath("//ol[@class='results']/@start") == ["21"]
    assert second.xpath("//a[@rel='prev']/@href") == ["/districts/jimei/"]
    assert second.xpath("//title")[0].text == "集美区（第 2 页） - 厦门新闻检索"


@pytest.mark.parametrize(
    "url",
    [
        "/districts/nowhere/",
        "/districts/huli/?page=2",
        "/districts/huli/?page=0",
        "/districts/huli/?page=abc",
        "/sources/nowhere/",
        "/sources/" + quote("不存在的报") + "/",
    ],
)
def test_unknown_district_source_or_page_is_404(client, news, url):
    assert client.get(url).status_code == 404


def test_source_page_with_a_chinese_slug(client, news):
    assert reverse("source-detail", kwargs={"slug": "厦门日报"}) == RIBAO_URL
    tree = page(client, RIBAO_URL)
    assert texts(tree, "//h1") == ["厦门日报"]
    assert texts(tree, "//p[@class='list-header__count']") == ["共 2 篇报道"]
    assert item_titles(tree) == ["湖里区志愿服务队扩容至两万人", "思明区中山路步行街改造完工"]
    assert feed_alternates(tree) == ["/feeds/sources/" + quote("厦门日报") + "/"]


def test_source_pages_link_to_page_two_percent_encoded(client, news):
    ribao = Source.objects.get(slug="厦门日报")
    for day in range(1, 22):
        make(f"厦门日报第{day}篇", published_date=dt.date(2019, 1, day), source=ribao)
    first = page(client, RIBAO_URL)
    assert first.xpath("//a[@rel='next']/@href") == [RIBAO_URL + "?page=2"]
    second = page(client, RIBAO_URL + "?page=2")
    assert second.xpath("//a[@rel='prev']/@href") == [RIBAO_URL]
    assert item_titles(second) == ["厦门日报第3篇", "厦门日报第2篇", "厦门日报第1篇"]


# --- Archive --------------------------------------------------------------------------------


def test_archive_grid_links_months_with_articles(client, news):
    tree = page(client, "/archive/")
    assert texts(tree, "//h2") == ["2021年 3 篇", "2020年 1 篇"]
    links = tree.xpath("//ol[@class='month-grid']//a")
    assert [(a.get("href"), " ".join(a.text_content().split())) for a in links] == [
        ("/archive/2021/10/", "2021年10月 1 篇"),
        ("/archive/2021/11/", "2021年11月 2 篇"),
        ("/archive/2020/8/", "2020年8月 1 篇"),
    ]
    cells = texts(tree, "//ol[@class='month-grid']/li")
    assert len(cells) == 24
    assert cells[:3] == ["2021年1月 0 篇", "2021年2月 0 篇", "2021年3月 0 篇"]
    assert "另有 1 篇日期不详的报道未列入归档。" in tree.text_content()
    jumps = tree.xpath("//nav[@aria-label='跳到年份']//a")
    assert [(a.get("href"), " ".join(a.text_content().split())) for a in jumps] == [
        ("#year-2021", "2021年 3 篇"),
        ("#year-2020", "2020年 1 篇"),
    ]
    assert tree.xpath("//h2/@id") == ["year-2021", "year-2020"]


def test_archive_year_lists_its_articles_and_months(client, news):
    tree = page(client, "/archive/2021/")
    assert texts(tree, "//h1") == ["2021年"]
    assert item_titles(tree) == [
        "湖里区志愿服务队扩容至两万人",
        "湖里：志愿者走上街头",
        "思明区中山路步行街改造完工",
    ]
    assert tree.xpath("//ol[@class='month-grid']//a/@href") == [
        "/archive/2021/10/",
        "/archive/2021/11/",
    ]


def test_archive_month_links_to_neighbouring_months_with_articles(client, news):
    november = page(client, "/archive/2021/11/")
    assert texts(november, "//h1") == ["2021年11月"]
    assert item_titles(november) == ["湖里区志愿服务队扩容至两万人", "湖里：志愿者走上街头"]
    assert november.xpath("//nav[@class='month-nav']/a/@href") == ["/archive/2021/10/"]
    calendar = november.xpath("//table[@class='calendar']")[0]
    assert texts(calendar, ".//th") == ["一", "二", "三", "四", "五", "六", "日"]
    assert len(calendar.xpath(".//tbody/tr")) == 5  # 1 November 2021 was a Monday
    assert texts(calendar, ".//tbody/tr[1]/td") == ["1", "2", "11月3日 2 篇", "4", "5", "6", "7"]
    assert calendar.xpath(".//a/@href") == ["/search/?from=2021-11-03&to=2021-11-03&sort=newest"]
    assert texts(calendar, ".//tbody/tr[5]/td") == ["29", "30", "", "", "", "", ""]
    august = page(client, "/archive/2020/8/")
    assert august.xpath("//nav[@class='month-nav']/a")[0].get("rel") == "next"
    assert texts(august, "//nav[@class='month-nav']/a") == ["2021年10月 ›"]


@pytest.mark.parametrize(
    "url",
    [
        "/archive/1999/",
        "/archive/99999/",
        "/archive/2021/12/",
        "/archive/2021/13/",
        "/archive/2021/0/",
        "/archive/2019/11/",
        "/archive/abcd/",
    ],
)
def test_unknown_year_or_month_is_404(client, news, url):
    assert client.get(url).status_code == 404


# --- Feeds ----------------------------------------------------------------------------------


def feed(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return etree.fromstring(response.content)


def test_latest_feed_is_atom_with_published_entries(client, news):
    root = feed(client, "/feeds/latest/")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "厦门新闻检索 · 最新报道"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "湖里区志愿服务队扩容至两万人",
        "湖里：志愿者走上街头",
        "思明区中山路步行街改造完工",
        "海沧湾公园周末音乐会",
        "日期不详的台海网报道",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver/articles/{news['a1'].pk}/"
    assert first.findtext(f"{ATOM}published") == "2021-11-03T09:30:00+08:00"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "记者 罗子泓，通讯员 湖宣"
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == [
        "湖里区",
        "志愿服务",
        "文明城市",
    ]
    assert first.findtext(f"{ATOM}summary") == (
        "<p>湖里区文明办消息，志愿服务队扩容至两万人。</p><p>志愿者将走进社区。</p>"
    )
    assert entries[4].find(f"{ATOM}published") is None


def test_feed_summary_escapes_markup_from_the_body(client, news):
    make("标题", body="<script>x</script>正文", published_date=dt.date(2030, 1, 1))
    entry = feed(client, "/feeds/latest/").find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "<p>&lt;script&gt;x&lt;/script&gt;正文</p>"


def test_district_and_source_feeds(client, news):
    huli = feed(client, "/feeds/districts/huli/")
    assert huli.findtext(f"{ATOM}title") == "厦门新闻检索 · 湖里区"
    assert [e.findtext(f"{ATOM}title") for e in huli.findall(f"{ATOM}entry")] == [
        "湖里区志愿服务队扩容至两万人",
        "湖里：志愿者走上街头",
    ]
    ribao = feed(client, "/feeds/sources/" + quote("厦门日报") + "/")
    assert [e.findtext(f"{ATOM}title") for e in ribao.findall(f"{ATOM}entry")] == [
        "湖里区志愿服务队扩容至两万人",
        "思明区中山路步行街改造完工",
    ]
    assert client.get("/feeds/districts/nowhere/").status_code == 404
    assert client.get("/feeds/sources/nowhere/").status_code == 404


# --- Accessibility and query counts ---------------------------------------------------------


def reader_urls(news: dict[str, Article]) -> list[str]:
    return [
        "/",
        news["a1"].get_absolute_url(),
        news["a6"].get_absolute_url(),
        "/districts/huli/",
        RIBAO_URL,
        "/archive/",
        "/archive/2021/",
        "/archive/2021/11/",
    ]


def test_every_page_has_one_h1_and_headings_in_order(client, news):
    for url in reader_urls(news):
        levels = heading_levels(page(client, url))
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b <= a + 1 for a, b in pairwise(levels)), (url, levels)


def test_every_page_has_landmarks_and_a_lang(client, news):
    for url in reader_urls(news):
        tree = page(client, url)
        assert tree.get("lang") == "zh-Hans"
        assert len(tree.xpath("//main")) == 1, url
        assert tree.xpath("//nav[@aria-label]"), url


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("home", 6),  # recent, districts + their counts, source counts + sources, archive
        ("article", 4),  # article, related candidates before and after its date, same day
        ("district", 3),  # district, count, page
        ("source", 3),  # source, count, page
        ("archive", 2),  # day counts, undated count
        ("year", 3),  # the year's day counts, count, page
        ("month", 5),  # the year's day counts, previous and next dated article, count, page
        ("feed", 1),
        ("district_feed", 2),
    ],
)
def test_query_count_does_not_grow_with_articles(
    client, news, django_assert_num_queries, name, queries
):
    jimei = District.objects.get(slug="jimei")
    ribao = Source.objects.get(slug="厦门日报")
    for day in range(1, 8):
        make(
            f"湖里区志愿服务第{day}站",
            published_date=dt.date(2021, 11, day),
            district=jimei if day % 2 else news["a1"].district,
            source=ribao if day % 3 else Source.objects.get(slug="taihai"),
            site=Source.objects.get(slug="xmnn"),
            keywords=["志愿服务"],
        )
    url = {
        "home": "/",
        "article": news["a1"].get_absolute_url(),
        "district": "/districts/huli/",
        "source": RIBAO_URL,
        "archive": "/archive/",
        "year": "/archive/2021/",
        "month": "/archive/2021/11/",
        "feed": "/feeds/latest/",
        "district_feed": "/feeds/districts/huli/",
    }[name]
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# --- Selectors ------------------------------------------------------------------------------


def test_title_words_drop_stopwords_digits_and_single_characters():
    assert selectors.article_title_words("厦门地铁3号线过海段盾构机顺利始发") == [
        "地铁",
        "号线",
        "过海段",
        "盾构",
        "顺利",
        "始发",
    ]


def test_related_needs_a_shared_word_not_just_the_district(news):
    siming = District.objects.get(slug="siming")
    lone = make("完全不同的话题", published_date=dt.date(2021, 1, 1), district=siming)
    assert selectors.article_related(article=lone) == []
    assert selectors.article_related(article=news["a3"]) == []
    assert selectors.article_related(article=news["a2"]) == [news["a1"]]


def test_december_month_page_stops_at_new_year(client, news):
    make("除夕夜的烟花", published_date=dt.date(2021, 12, 31), published_time=dt.time(23, 59))
    make("元旦升旗仪式", published_date=dt.date(2022, 1, 1), published_time=dt.time(0, 0))
    december = page(client, "/archive/2021/12/")
    assert item_titles(december) == ["除夕夜的烟花"]
    assert december.xpath("//nav[@class='month-nav']/a/@href") == [
        "/archive/2021/11/",
        "/archive/2022/1/",
    ]
    assert texts(december, "//nav[@class='month-nav']/a") == ["‹ 2021年11月", "2022年1月 ›"]


def test_source_counts_keep_the_top_twelve(news):
    for n in range(13):
        source = Source.objects.create(name=f"媒体{n:02d}", slug=f"m{n:02d}")
        for k in range(n + 1):
            make(f"媒体{n}第{k}篇", source=source)
    top = [(s.name, count) for s, count in selectors.source_counts(limit=12)]
    assert top[:3] == [("媒体12", 13), ("媒体11", 12), ("媒体10", 11)]
    assert len(top) == 12
    assert top[-1] == ("厦门日报", 2)  # ties: 台海网 (2) and 媒体01 (2) sort after by name


def test_related_prefers_more_shared_words_then_the_nearer_date():
    tongan = District.objects.get(slug="tongan")
    base = make(
        "同安高甲戏进校园",
        published_date=dt.date(2015, 5, 1),
        district=tongan,
        keywords=["高甲戏", "校园"],
    )
    far = make("高甲戏新剧首演", published_date=dt.date(2024, 1, 1), keywords=["高甲戏"])
    near = make("高甲戏下乡巡演", published_date=dt.date(2015, 4, 20), keywords=["高甲戏"])
    best = make(
        "高甲戏走进同安校园", published_date=dt.date(2020, 1, 1), keywords=["高甲戏", "校园"]
    )
    make("道路维修完工", published_date=dt.date(2015, 5, 2), district=tongan)  # district only
    make("已隐藏的高甲戏", published_date=dt.date(2015, 5, 1), status=Article.Status.HIDDEN)
    assert selectors.article_related(article=base) == [best, near, far]
    assert selectors.article_related(article=base, limit=1) == [best]


def test_related_needs_two_shared_title_words_without_a_shared_keyword():
    base = make("湖里区地铁站点周边道路改造", published_date=dt.date(2022, 3, 1))
    two = make("地铁站点周边将增设停车位", published_date=dt.date(2022, 2, 1))
    make("湖里区举办读书节", published_date=dt.date(2022, 3, 2))  # only 湖里区 in common
    assert selectors.article_related(article=base) == [two]


@pytest.mark.parametrize(
    ("template", "code", "heading"),
    [("400.html", "400", "请求有误"), ("403.html", "403", "没有权限访问这个页面")],
)
def test_bad_request_and_forbidden_pages_are_the_sites_own(rf, db, template, code, heading):
    from django.template.loader import render_to_string

    tree = html.fromstring(render_to_string(template, request=rf.get("/")))
    assert tree.get("lang") == "zh-Hans"
    assert texts(tree, "//p[@class='error-page__code']") == [code]
    assert texts(tree, "//h1") == [heading]
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]


def test_home_has_one_search_box_not_two(client, news):
    tree = page(client, "/")
    assert tree.xpath("//input[@name='q']/@id") == ["home-q"]
