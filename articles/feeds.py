"""Atom feeds: the latest published articles, and the latest per district and per source."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join

from articles import selectors
from articles.models import Article, District, Source

FEED_SIZE = 20
SUMMARY_PARAGRAPHS = 2


class LatestArticlesFeed(Feed):
    """/feeds/latest/: the newest published articles of every source."""

    feed_type = Atom1Feed
    title = "厦门新闻检索 · 最新报道"
    subtitle = "厦门本地新闻：厦门日报、厦门晚报、厦门网、台海网、东南网、海峡导报等"
    language = "zh-Hans"

    def link(self) -> str:
        return reverse("home")

    def items(self) -> list[Article]:
        return selectors.articles_recent(limit=FEED_SIZE)

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """HTML (Atom summary type="html"): the first paragraphs, escaped."""
        paragraphs = item.paragraphs[:SUMMARY_PARAGRAPHS]
        return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        """The local publication time (midnight when only the date is known), time-zone aware."""
        if item.published_date is None:
            return None
        naive = dt.datetime.combine(item.published_date, item.published_time or dt.time())
        return timezone.make_aware(naive)

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return "，".join(selectors.article_author_labels(item)) or None

    def item_categories(self, item: Article) -> list[str]:
        district = [item.district.name] if item.district else []
        return district + [k for k in item.keywords if k]


class DistrictArticlesFeed(LatestArticlesFeed):
    """/feeds/districts/<slug>/: the newest published articles of one district."""

    def get_object(self, request: HttpRequest, slug: str) -> District:  # type: ignore[override]
        return get_object_or_404(District, slug=slug)

    def title(self, obj: District) -> str:  # type: ignore[override]
        return f"厦门新闻检索 · {obj.name}"

    def subtitle(self, obj: District) -> str:  # type: ignore[override]
        return f"{obj.name}的最新报道"

    def link(self, obj: District) -> str:  # type: ignore[override]
        return reverse("district-detail", kwargs={"slug": obj.slug})

    def items(self, obj: District) -> list[Article]:  # type: ignore[override]
        return list(selectors.articles_visible().filter(district=obj)[:FEED_SIZE])


class SourceArticlesFeed(LatestArticlesFeed):
    """/feeds/sources/<slug>/: the newest published articles credited to one source."""

    def get_object(self, request: HttpRequest, slug: str) -> Source:  # type: ignore[override]
        return get_object_or_404(Source, slug=slug)

    def title(self, obj: Source) -> str:  # type: ignore[override]
        return f"厦门新闻检索 · {obj.name}"

    def subtitle(self, obj: Source) -> str:  # type: ignore[override]
        return f"{obj.name}的最新报道"

    def link(self, obj: Source) -> str:  # type: ignore[override]
        return reverse("source-detail", kwargs={"slug": obj.slug})

    def items(self, obj: Source) -> list[Article]:  # type: ignore[override]
        return list(selectors.articles_visible().filter(source=obj)[:FEED_SIZE])
