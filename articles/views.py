"""The reader's site: home, article pages, browsing by district, source and date.

Thin views: reads go through articles.selectors; every page runs a fixed number of queries
(tests/integration/test_reader_pages.py pins each count).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from articles import selectors
from articles.models import Article, District, Source
from portal.pagination import pagination

PER_PAGE = 20
RELATED = 5  # related reports beside an article
MIN_YEAR, MAX_YEAR = 1900, 2100


def home(request: HttpRequest) -> HttpResponse:
    """Latest articles, counts by district and source, the archive by year."""
    context = {
        "recent": selectors.articles_recent(limit=PER_PAGE),
        "districts": selectors.district_counts(),
        "sources": selectors.source_counts(limit=12),
        "years": selectors.archive_counts(),
    }
    return render(request, "articles/home.html", context)


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published article with related reports and same-day reports from other outlets."""
    article = get_object_or_404(selectors.articles_visible(), pk=pk)
    same_day = selectors.articles_same_day_other_outlets(article=article, limit=10)
    # A report listed under 同日其他媒体 is not listed again under 相关报道.
    shown = {a.pk for a in same_day}
    related = selectors.article_related(article=article, limit=RELATED + len(shown))
    context = {
        "article": article,
        "published_iso": selectors.article_published_iso(article),
        "authors": selectors.article_author_labels(article),
        "related": [a for a in related if a.pk not in shown][:RELATED],
        "same_day": same_day,
        # Only web addresses become links: an imported "javascript:" URL must not run.
        "original_url": article.url if article.url.startswith(("http://", "https://")) else "",
    }
    return render(request, "articles/article_detail.html", context)


def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A district's articles, 20 a page, newest first, with links to the other districts."""
    # One query for all six: the page needs them anyway for its district switcher.
    districts = list(District.objects.order_by("position"))
    district = next((d for d in districts if d.slug == slug), None)
    if district is None:
        raise Http404("没有这个行政区")
    articles = selectors.articles_visible().filter(district=district)
    return _article_list(
        request,
        articles,
        title=district.name,
        kicker="行政区",
        districts=districts,
        current_district=district,
        feed_url=reverse("feed-district", kwargs={"slug": district.slug}),
        search_url=_search_url(district=district.name),
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An outlet's articles (by credited source), 20 a page, newest first."""
    source = get_object_or_404(Source, slug=slug)
    articles = selectors.articles_visible().filter(source=source)
    return _article_list(
        request,
        articles,
        title=source.name,
        kicker="来源",
        feed_url=reverse("feed-source", kwargs={"slug": source.slug}),
        search_url=_search_url(source=source.name),
    )


def archive(request: HttpRequest) -> HttpResponse:
    """Every year with its count and a twelve-month grid a reader can click through."""
    context = {
        "years": selectors.archive_counts(),
        "undated": selectors.articles_undated_count(),
    }
    return render(request, "articles/archive.html", context)


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    """One year's articles with its months; 404 for a year without published articles."""
    _check_year(year)
    found = selectors.archive_counts(year=year)
    if not found:
        raise Http404("这一年没有文章")
    return _article_list(
        request,
        selectors.articles_in_year(year=year),
        title=f"{year}年",
        kicker="归档",
        year_archive=found[0],
        search_url=_search_url(year=str(year)),
    )


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """One month's articles with links to the previous and next months that have articles."""
    _check_year(year)
    if not 1 <= month <= 12:
        raise Http404("月份无效")
    days = selectors.published_day_counts(year=year)
    found = selectors.archive_from_days(days)
    if not found or not found[0].months[month - 1].count:
        raise Http404("这个月没有文章")
    prev_day, next_day = selectors.month_neighbours(year=year, month=month)
    return _article_list(
        request,
        selectors.articles_in_month(year=year, month=month),
        title=f"{year}年{month}月",
        kicker="归档",
        parent_year=year,
        prev_month=prev_day,
        next_month=next_day,
        calendar_weeks=_calendar_weeks(year, month, days),
        search_url=_search_url(month=f"{year}-{month:02d}"),
    )


def _calendar_weeks(year: int, month: int, days: dict[dt.date, int]) -> list[list[dict[str, Any]]]:
    """Monday-first weeks of a month; each day with its count and a search link when it has one.

    Days of the neighbouring months that fill the first and last week have day=None.
    """
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells: list[dict[str, Any]] = []
        for day in week:
            if day.month != month:
                cells.append({"day": None})
                continue
            count = days.get(day, 0)
            iso = day.isoformat()
            url = _search_url(**{"from": iso, "to": iso, "sort": "newest"}) if count else ""
            cells.append({"day": day, "count": count, "url": url})
        weeks.append(cells)
    return weeks


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("年份无效")


def _search_url(**filters: str) -> str:
    return reverse("search") + "?" + urlencode(filters)


def _article_list(
    request: HttpRequest, articles: QuerySet[Article], *, title: str, **extra: Any
) -> HttpResponse:
    page = _page(request, articles)
    context = {
        "title": title,
        "page": page,
        "articles": page.object_list,
        "total": page.paginator.count,
        "pagination": _pagination(request, page),
        **extra,
    }
    return render(request, "articles/article_list.html", context)


def _page(request: HttpRequest, articles: QuerySet[Article]) -> Page:
    """The requested page; 404 for "?page=x" or a page past the last (page 1 is always fine)."""
    paginator = Paginator(articles, PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404("没有这一页") from error


def _pagination(request: HttpRequest, page: Page) -> dict[str, Any] | None:
    """The list's paging links; None when there is one page."""
    path = iri_to_uri(request.path)  # /sources/厦门日报/ → /sources/%E5%8E%A6…/

    def url(number: int) -> str:
        return path if number == 1 else f"{path}?page={number}"

    return pagination(current=page.number, last=page.paginator.num_pages, url=url)
