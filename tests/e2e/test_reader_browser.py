"""The reader's site in real Chromium: home → a district → an article → a keyword search."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def create_articles() -> None:
    """Two Huli articles and one Siming; districts are recreated (transactional tests flush)."""
    from articles.models import Article, District, Source

    huli = District.objects.get_or_create(
        slug="huli", defaults={"name": "湖里区", "short_name": "湖里", "pinyin": "Huli"}
    )[0]
    siming = District.objects.get_or_create(
        slug="siming", defaults={"name": "思明区", "short_name": "思明", "pinyin": "Siming"}
    )[0]
    ribao = Source.objects.get_or_create(name="厦门日报", slug="厦门日报")[0]
    rows = [
        ("湖里区志愿服务队扩容至两万人", huli, dt.date(2021, 11, 3), ["志愿服务", "文明城市"]),
        ("湖里区五缘湾步道开放", huli, dt.date(2021, 10, 1), ["五缘湾"]),
        ("思明区中山路步行街改造完工", siming, dt.date(2021, 9, 1), ["中山路"]),
    ]
    for n, (title, district, day, keywords) in enumerate(rows):
        Article.objects.create(
            title=title,
            body=f"{title}。\n记者在现场看到，居民反响热烈。",
            district=district,
            source=ribao,
            published_date=day,
            keywords=keywords,
            fingerprint=f"reader-e2e-{n}",
        )


@pytest.mark.django_db(transaction=True)
def test_home_to_district_to_article_to_keyword(live_server, page):
    create_articles()
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "厦门本地新闻"
    district = page.locator(".district-grid a", has_text="湖里区")
    assert " ".join(district.inner_text().split()) == "湖里区 2 篇"

    district.click()
    assert page.url == f"{live_server.url}/districts/huli/"
    assert page.locator("h1").inner_text() == "湖里区"
    assert page.locator(".result__title").all_inner_texts() == [
        "湖里区志愿服务队扩容至两万人",
        "湖里区五缘湾步道开放",
    ]

    page.get_by_role("link", name="湖里区志愿服务队扩容至两万人").click()
    assert page.locator("h1").inner_text() == "湖里区志愿服务队扩容至两万人"
    assert page.title() == "湖里区志愿服务队扩容至两万人 - 厦门新闻检索"
    keyword = page.locator(".tags a", has_text="志愿服务")
    assert keyword.get_attribute("href") == "/search/?q=" + quote("志愿服务")

    keyword.focus()  # keyboard: Enter on a focused keyword opens its search
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/search/?q={quote('志愿服务')}")
    assert page.locator("#search-q").input_value() == "志愿服务"


@pytest.mark.django_db(transaction=True)
def test_article_and_archive_fit_a_phone(live_server, page):
    from articles.models import Article

    create_articles()
    article = Article.objects.get(title="湖里区志愿服务队扩容至两万人")
    page.set_viewport_size({"width": 390, "height": 844})
    elsewhere: list[str] = []  # the site works offline: nothing is fetched from another host
    page.on("request", lambda r: r.url.startswith(live_server.url) or elsewhere.append(r.url))
    paths = [
        "/",
        article.get_absolute_url(),
        "/districts/huli/",
        "/sources/" + quote("厦门日报") + "/",
        "/archive/",
        "/archive/2021/",
        "/archive/2021/11/",
        "/search/?q=" + quote("志愿服务"),
        "/search/?q=" + quote("火星") + "&district=" + quote("湖里区"),
        "/articles/999999/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    assert elsewhere == []
    page.goto(live_server.url + "/archive/")
    page.get_by_role("link", name="2021年 11月 1 篇").click()  # Chrome spaces hidden text
    assert page.locator("h1").inner_text() == "2021年11月"
    assert page.locator("nav.month-nav a").all_inner_texts() == ["‹ 2021年10月"]
