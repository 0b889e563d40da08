"""Reads with meaning. Views, feeds, commands and the API read articles through these."""

from __future__ import annotations

from collections.abc import Iterator

from articles.models import Article


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
