"""Reads with meaning. Views, feeds, commands and the API read articles through these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import rjieba
from django.db.models import Count, F, Q, QuerySet

from articles.models import Article, District, Source


def article_published_iso(article: Article) -> str | None:
    """ISO 8601: "2021-11-13" or "2021-11-13T09:11:07"; None when the date is not fully known."""
    value = article.published
    return value.isoformat() if value is not None else None


def article_author_labels(article: Article) -> list[str]:
    """[{"role": "记者", "name": "罗子泓"}] → ["记者 罗子泓"]."""
    return [f"{a.get('role', '')} {a.get('name', '')}".strip() for a in article.authors]


def article_export_dict(article: Article) -> dict[str, object]:
    """One article as the export's JSON object; the keys are the export format."""
    return {
        "id": article.pk,
        "title": article.title,
        "published": article_published_iso(article),
        "source": article.source.name if article.source else None,
        "site": article.site.name if article.site else None,
        "district": article.district.name if article.district else None,
        "authors": article_author_labels(article),
        "keywords": list(article.keywords),
        "captions": list(article.captions),
        "body": article.body,
        "url": article.url or None,
        "raw_sha256": article.raw_page.sha256 if article.raw_page else None,
        "needs_review": article.needs_review,
        "review_reasons": list(article.review_reasons),
    }


def articles_for_export(*, chunk_size: int = 500) -> Iterator[dict[str, object]]:
    """Every article, oldest id first, as export dicts; streams in chunks (no raw bytes read)."""
    queryset = (
        Article.objects.with_relations()
        .select_related("raw_page")
        .defer("raw_page__content")
        .order_by("pk")
    )
    for article in queryset.iterator(chunk_size=chunk_size):
        yield article_export_dict(article)


# --- Reader's site: lists, counts and "more like this" -----------------------------------------

# Words too common in local news titles to say two articles are about the same thing.
_TITLE_STOPWORDS = frozenset(
    str.split(
        "厦门 厦门市 我市 全市 记者 通讯员 报道 新闻 今天 昨天 昨日 今日 日前 近日 一个 这个 我们"
        " 他们 进行 开展 举行 启动 活动 工作 相关 正式 已经 首次 今年 明年 去年 成功 一起 一名"
        " 一位 一次 一批 发生 发布 召开 推进 全面 加强 提升 助力 持续 重要 关于 通知 公告 女子"
        " 男子 市民 网友 现场 问题 情况 要求 如何 为何 什么 怎么 可以 没有 不是 还是 就是"
    )
)
_RELATED_POOL = 300  # candidates fetched in one query, scored in Python
# Newest first on every database (SQLite and PostgreSQL disagree on where NULLs sort).
NEWEST_FIRST = (
    F("published_date").desc(nulls_last=True),
    F("published_time").desc(nulls_last=True),
    F("id").desc(),
)


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int


@dataclass(frozen=True)
class YearArchive:
    """One year of the archive: its total and all twelve months (zero counts included)."""

    year: int
    count: int
    months: list[MonthCount]


def articles_visible() -> QuerySet[Article]:
    """Published articles with source, site and district joined, newest first."""
    return Article.objects.visible().with_relations().order_by(*NEWEST_FIRST)


def articles_recent(*, limit: int = 20) -> list[Article]:
    """The newest published articles, newest first (undated ones last)."""
    return list(articles_visible().order_by(*NEWEST_FIRST)[:limit])


def _published_counts(column: str) -> dict[int | None, int]:
    """Published articles per value of one foreign key, counted on the article side."""
    rows = Article.objects.visible().values_list(column).annotate(n=Count("id")).order_by()
    return dict(rows)


def district_counts() -> list[tuple[District, int]]:
    """Every district in gazetteer order with its published count.

    [(思明区, 12), (湖里区, 0), …]: all six, zero counts included.
    """
    counts = _published_counts("district_id")
    return [(d, counts.get(d.pk, 0)) for d in District.objects.order_by("position")]


def source_counts(*, limit: int = 12) -> list[tuple[Source, int]]:
    """The sources with the most published articles: [(厦门日报, 30), (厦门网, 12), …]."""
    counts = _published_counts("source_id")
    counts.pop(None, None)
    sources = Source.objects.filter(pk__in=list(counts))
    ranked = sorted(sources, key=lambda s: (-counts[s.pk], s.name))
    return [(s, counts[s.pk]) for s in ranked[:limit]]


def published_day_counts(*, year: int | None = None) -> dict[dt.date, int]:
    """Published articles per day ({date(2021, 11, 3): 2, …}), all years or one; one query.

    Grouped by day rather than by month: SQLite has no native month extraction, and the day
    grouping reads only the (status, published_date) index.
    """
    days = Article.objects.visible().filter(published_date__isnull=False)
    if year is not None:
        days = days.filter(published_date__year=year)
    return dict(days.values_list("published_date").annotate(n=Count("id")).order_by())


def archive_from_days(days: dict[dt.date, int]) -> list[YearArchive]:
    """Day counts binned into years and months, newest year first.

    Two articles in March 2021 and three in November →
    [YearArchive(2021, 5, [Jan 0, Feb 0, Mar 2, …, Nov 3, Dec 0])].
    """
    by_year: dict[int, dict[int, int]] = {}
    for day, n in days.items():
        months = by_year.setdefault(day.year, {})
        months[day.month] = months.get(day.month, 0) + n
    return [
        YearArchive(
            year=y,
            count=sum(months.values()),
            months=[MonthCount(y, m, months.get(m, 0)) for m in range(1, 13)],
        )
        for y, months in sorted(by_year.items(), reverse=True)
    ]


def archive_counts(*, year: int | None = None) -> list[YearArchive]:
    """Published articles by year and month, newest year first (only `year` when given)."""
    return archive_from_days(published_day_counts(year=year))


def month_neighbours(*, year: int, month: int) -> tuple[dt.date | None, dt.date | None]:
    """The dates of the nearest published articles before and after a month (None at the ends)."""
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    dated = Article.objects.visible()
    before = dated.filter(published_date__lt=first).order_by("-published_date")
    later = dated.filter(published_date__gte=after).order_by("published_date")
    return (
        before.values_list("published_date", flat=True).first(),
        later.values_list("published_date", flat=True).first(),
    )


def articles_undated_count() -> int:
    """How many published articles have no known date (they are left out of the archive)."""
    return Article.objects.visible().filter(published_date__isnull=True).count()


def article_title_words(title: str) -> list[str]:
    """Content words of a title, for "more like this".

    "厦门地铁3号线过海段盾构机顺利始发" → ["地铁", "号线", "过海段", "盾构", "顺利", "始发"].
    """
    words: list[str] = []
    for word in rjieba.cut(title):
        word = word.strip()
        keep = len(word) >= 2 and not word.isdigit() and word not in _TITLE_STOPWORDS
        if keep and word not in words:
            words.append(word)
    return words


def article_related(*, article: Article, limit: int = 5) -> list[Article]:
    """Published articles most like this one: shared keywords and title words, same district.

    Candidates (same district, or a keyword or title word in the title) are fetched around the
    article's date and scored in Python: 3 per shared keyword, 2 per other shared title word, 1
    for the same district. A candidate needs a shared keyword or two shared title words; ties go
    to the nearer date. Never this article, never a hidden one.
    """
    keywords = {k for k in article.keywords if isinstance(k, str) and k}
    words = set(article_title_words(article.title))
    match = Q()
    for term in sorted(keywords | words)[:12]:
        match |= Q(title__contains=term)
    if article.district_id:
        match |= Q(district_id=article.district_id)
    if not match:
        return []
    scored = []
    for other in _related_candidates(article, match):
        other_keywords = {k for k in other.keywords if isinstance(k, str)}
        shared_keywords = keywords & other_keywords
        shared_words = {w for w in words | keywords if w in other.title} - shared_keywords
        if not shared_keywords and len(shared_words) < 2:
            continue  # one common title word ("湖里区", "警方") is not enough on its own
        score = 3 * len(shared_keywords) + 2 * len(shared_words)
        score += 1 if article.district_id and other.district_id == article.district_id else 0
        scored.append((-score, _days_apart(article, other), -other.pk, other))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]


def _related_candidates(article: Article, match: Q) -> list[Article]:
    """Matching articles nearest in time: half the pool on or before the date, half after.

    News about the same thing clusters in time, so an article from 2015 looks among 2015's
    reports rather than among the newest 300. Undated articles look among the newest.
    """
    pool = articles_visible().filter(match).exclude(pk=article.pk)
    day = article.published_date
    if day is None:
        return list(pool[:_RELATED_POOL])
    half = _RELATED_POOL // 2
    before = pool.filter(published_date__lte=day)[:half]
    after = pool.filter(published_date__gt=day).order_by("published_date", "published_time", "id")
    return [*before, *after[:half]]


def _days_apart(a: Article, b: Article) -> int:
    if a.published_date is None or b.published_date is None:
        return 100_000
    return abs((a.published_date - b.published_date).days)


def articles_same_day_other_outlets(*, article: Article, limit: int = 10) -> list[Article]:
    """Published articles of the same date from other sources; none when the date is unknown."""
    if article.published_date is None:
        return []
    others = articles_visible().filter(published_date=article.published_date, source__isnull=False)
    if article.source_id:
        others = others.exclude(source_id=article.source_id)
    return list(
        others.exclude(pk=article.pk).order_by("source__name", "-published_time", "-id")[:limit]
    )


def articles_in_month(*, year: int, month: int) -> QuerySet[Article]:
    """Published articles dated in one month, newest first."""
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return articles_visible().filter(published_date__gte=first, published_date__lt=after)


def articles_in_year(*, year: int) -> QuerySet[Article]:
    """Published articles dated in one year, newest first."""
    return articles_visible().filter(published_date__year=year)
