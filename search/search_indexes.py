"""The Haystack index of published articles.

Full-text fields have the field type "text" (our backend analyzes them with the Chinese
analyzer; other backends see ordinary strings); plain CharFields are exact values, used for
facets and filters. The index stores no text: results are read from the database by id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from haystack import indexes

from articles.models import Article
from search.engine.types import minute_key


class TextField(indexes.CharField):
    field_type = "text"


def order_key(article: Article) -> int:
    """Newest first when sorted descending; undated articles sort last.

    2021-11-03 09:30, id 7 → (738097 * 1440 + 570) * 10**9 + 7
    """
    if article.published_date is None:
        return article.pk or 0
    moment = dt.datetime.combine(article.published_date, article.published_time or dt.time())
    return minute_key(moment) + (article.pk or 0)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = TextField(document=True)
    title = TextField(model_attr="title", boost=2.0)
    district = indexes.CharField(null=True)
    source = indexes.CharField(null=True)
    site = indexes.CharField(null=True)
    authors = indexes.MultiValueField()
    keywords = indexes.MultiValueField()
    published = indexes.DateTimeField(null=True)
    year = indexes.CharField(null=True)
    month = indexes.CharField(null=True)
    order = indexes.IntegerField()
    # Declared last: a hash of every other prepared field, so search_check finds stale entries.
    digest = indexes.IntegerField()

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using: str | None = None) -> Any:
        return Article.objects.visible().with_relations().order_by("pk")

    def read_queryset(self, using: str | None = None) -> Any:
        return Article.objects.visible().with_relations()

    def prepare_text(self, obj: Article) -> str:
        names = [a.get("name", "") for a in obj.authors if isinstance(a, dict)]
        return "\n".join([obj.title, " ".join(map(str, obj.keywords)), " ".join(names), obj.body])

    def prepare_district(self, obj: Article) -> str | None:
        return obj.district.name if obj.district_id else None

    def prepare_source(self, obj: Article) -> str | None:
        return obj.source.name if obj.source_id else None

    def prepare_site(self, obj: Article) -> str | None:
        return obj.site.name if obj.site_id else None

    def prepare_authors(self, obj: Article) -> list[str]:
        return [a["name"] for a in obj.authors if isinstance(a, dict) and a.get("name")]

    def prepare_keywords(self, obj: Article) -> list[str]:
        return [str(k) for k in obj.keywords if k]

    def prepare_published(self, obj: Article) -> dt.datetime | None:
        if obj.published_date is None:
            return None
        return dt.datetime.combine(obj.published_date, obj.published_time or dt.time())

    def prepare_year(self, obj: Article) -> str | None:
        return f"{obj.published_date.year}" if obj.published_date else None

    def prepare_month(self, obj: Article) -> str | None:
        return obj.published_date.strftime("%Y-%m") if obj.published_date else None

    def prepare_order(self, obj: Article) -> int:
        return order_key(obj)

    def prepare_digest(self, obj: Article) -> int:
        """A signed 64-bit hash of the fields prepared before it (all the others)."""
        data = {k: v for k, v in self.prepared_data.items() if k != "digest"}
        blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return int.from_bytes(hashlib.sha256(blob.encode()).digest()[:8], "big", signed=True)
