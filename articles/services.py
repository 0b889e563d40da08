"""The only code that writes articles. Keyword-only, typed, atomic per article, idempotent."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.cleaning import CleanArticle, clean_page
from articles.models import Article, District, ImportBatch, RawPage, Source
from articles.readers import RawItem
from search import indexing

log = logging.getLogger(__name__)


class Outcome:
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    ALREADY = "already"  # the very same raw bytes were imported before
    FAILED = "failed"


@dataclass
class ItemResult:
    """What became of one raw item. `clean` is kept for previews (None when it failed early)."""

    name: str
    outcome: str
    message: str = ""
    article_id: int | None = None
    duplicate_of: int | None = None
    clean: CleanArticle | None = None

    @property
    def needs_review(self) -> bool:
        return bool(self.clean and self.clean.needs_review)


@dataclass
class ImportReport:
    batch_id: int | None = None
    items: list[ItemResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def duplicates(self) -> int:
        return self.count(Outcome.DUPLICATE) + self.count(Outcome.ALREADY)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    @property
    def needs_review(self) -> int:
        return sum(1 for i in self.items if i.outcome == Outcome.IMPORTED and i.needs_review)

    def summary(self) -> str:
        return (
            f"导入 {self.imported} 篇，重复 {self.duplicates} 篇，"
            f"待审核 {self.needs_review} 篇，失败 {self.failed} 个"
        )


def raw_item_clean(item: RawItem, *, default_year: int | None) -> CleanArticle:
    """Run the cleaner on one item: a page's bytes, or a jsonl record's text and fields."""
    if item.text is None and not item.hints:
        return clean_page(item.raw, filename=item.name, default_year=default_year)
    return clean_page(
        item.text or "", filename=item.name, default_year=default_year, hints=item.hints
    )


def clean_problem(clean: CleanArticle) -> str:
    """Why a cleaned page cannot become an article, or "" when it can."""
    if not clean.paragraphs:
        return "未提取到正文（页面是空的，或全部是网页杂项）"
    if not clean.title.strip():
        return "未提取到标题"
    return ""


def articles_import_batch(
    *,
    items: Iterable[RawItem],
    default_year: int | None = None,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    label: str = "",
    on_item: Callable[[ItemResult], None] | None = None,
) -> ImportReport:
    """Clean and store every item; one bad item never stops the batch.

    Same raw bytes twice → ALREADY; same cleaned text (another encoding, HTML instead of
    text, a repost) → DUPLICATE of the stored article. Dry runs store nothing and still find
    duplicates, in the database and within the run. The index is written once, at the end.
    """
    report = ImportReport()
    batch = None
    if not dry_run:
        batch = ImportBatch.objects.create(
            label=label[:200], created_by=user, default_year=default_year
        )
        report.batch_id = batch.pk
    seen: dict[str, str] = {}  # fingerprint → item name, for duplicates within the run
    with indexing.batch():
        for item in items:
            result = _import_one(item, default_year=default_year, batch=batch, seen=seen)
            report.items.append(result)
            if on_item:
                on_item(result)
    if batch is not None:
        _batch_finish(batch, report)
    return report


def _import_one(
    item: RawItem, *, default_year: int | None, batch: ImportBatch | None, seen: dict[str, str]
) -> ItemResult:
    if item.error:
        return ItemResult(item.name, Outcome.FAILED, item.error)
    sha = hashlib.sha256(item.raw).hexdigest()
    if RawPage.objects.filter(sha256=sha).exists():
        previous = Article.objects.filter(raw_page__sha256=sha).values_list("pk", flat=True)
        return ItemResult(
            item.name, Outcome.ALREADY, "已导入过（内容完全相同）", duplicate_of=previous.first()
        )
    try:
        clean = raw_item_clean(item, default_year=default_year)
    except Exception as exc:  # the cleaner is total; this is a bug: report it and go on
        log.exception("cleaner failed on %s", item.name)
        return ItemResult(item.name, Outcome.FAILED, f"清洗出错：{exc!r}")
    problem = clean_problem(clean)
    if problem:
        return ItemResult(item.name, Outcome.FAILED, problem, clean=clean)
    duplicate = _duplicate_of(clean, item.name, seen)
    if duplicate is not None:
        return duplicate
    if batch is None:
        return ItemResult(item.name, Outcome.IMPORTED, "试运行，未保存", clean=clean)
    try:
        article = article_create(clean=clean, raw=item.raw, filename=item.name, batch=batch)
    except IntegrityError:
        # Lost a race with another import of the same page or text: a duplicate, not an error.
        return _duplicate_of(clean, item.name, {}) or ItemResult(
            item.name, Outcome.ALREADY, "已导入过（内容完全相同）", clean=clean
        )
    return ItemResult(item.name, Outcome.IMPORTED, article_id=article.pk, clean=clean)


def _duplicate_of(clean: CleanArticle, name: str, seen: dict[str, str]) -> ItemResult | None:
    fingerprint = clean.fingerprint
    existing = Article.objects.filter(fingerprint=fingerprint).values_list("pk", flat=True).first()
    if existing is not None:
        return ItemResult(
            name,
            Outcome.DUPLICATE,
            f"与稿件 #{existing} 正文相同",
            duplicate_of=existing,
            clean=clean,
        )
    if fingerprint in seen:
        return ItemResult(
            name, Outcome.DUPLICATE, f"与本批 {seen[fingerprint]} 正文相同", clean=clean
        )
    seen[fingerprint] = name
    return None


def _batch_finish(batch: ImportBatch, report: ImportReport) -> None:
    batch.imported = report.imported
    batch.duplicates = report.duplicates
    batch.needs_review = report.needs_review
    batch.failed = report.failed
    batch.finished_at = timezone.now()
    batch.save()


@transaction.atomic
def article_create(
    *, clean: CleanArticle, raw: bytes, filename: str, batch: ImportBatch | None
) -> Article:
    """Store the raw page, then the article made from it, in one transaction."""
    raw_page = RawPage.objects.create(
        sha256=hashlib.sha256(raw).hexdigest(),
        content=raw,
        filename=filename[:500],
        encoding=clean.encoding,
        size=len(raw),
        batch=batch,
    )
    article = Article(raw_page=raw_page, import_batch=batch)
    article_apply_clean(article=article, clean=clean)
    article.save()
    return article


def article_apply_clean(*, article: Article, clean: CleanArticle, keep: Iterable[str] = ()) -> None:
    """Copy the cleaner's fields onto an article, except the fields named in `keep`."""
    kept = set(keep)
    published = clean.published
    values: dict[str, object] = {
        "title": clean.title[:300],
        "body": clean.body,
        "published_date": published.to_date() if published else None,
        "published_time": published.time if published else None,
        "published_text": (published.text if published else "")[:64],
        "source": source_get_or_create(name=clean.source),
        "site": source_get_or_create(name=clean.site),
        "district": District.objects.filter(name=clean.district).first()
        if clean.district
        else None,
        "authors": [{"role": a.role, "name": a.name} for a in clean.authors],
        "keywords": list(clean.keywords),
        "captions": list(clean.captions),
        "url": (clean.url or "")[:1000],
        "needs_review": clean.needs_review,
        "review_reasons": list(clean.review_reasons),
    }
    if "published" in kept:
        kept |= {"published_date", "published_time", "published_text"}
    for name, value in values.items():
        if name not in kept:
            setattr(article, name, value)
    if "body" not in kept:
        article.fingerprint = clean.fingerprint


def source_get_or_create(*, name: str | None) -> Source | None:
    """The Source row for an outlet name, created on first sight."""
    if not name or not name.strip():
        return None
    name = name.strip()[:64]
    source = Source.objects.filter(name=name).first()
    if source is not None:
        return source
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    slug = slugify(name, allow_unicode=True)[:70] or digest
    if Source.objects.filter(slug=slug).exists():
        slug = f"{slug}-{digest}"
    source, _ = Source.objects.get_or_create(name=name, defaults={"slug": slug})
    return source
