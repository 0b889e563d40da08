"""An import's store of one item: checked, compared with the stored texts, saved with its raw
page. importing/chunks.py stores many at once and falls back on item_store; both copy the
cleaner's fields with article_apply_clean, which a re-clean (services.article_reclean) uses too."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.cleaning import CleanArticle
from articles.importing.readers import RawItem, item_clean
from articles.importing.results import ItemResult, Outcome, result_already, result_duplicate
from articles.models import Article, District, ImportBatch, RawPage, Source

log = logging.getLogger(__name__)


def clean_problem(clean: CleanArticle) -> str:
    """Why a cleaned page cannot become an article, or "" when it can."""
    if not clean.paragraphs:
        return "未提取到正文（页面是空的，只有标题，或全部是网页杂项）"
    return ""


_HAN = re.compile(r"[\u4e00-\u9fff]")
_FIRST_SENTENCE = re.compile(r"^(.{4,60}?[。！？!?])")


def provisional_title(clean: CleanArticle, *, filename: str) -> CleanArticle:
    """Give a page without a title one an editor can recognise; its review reason stays.

    Scrapers often save a page as "<title>.txt": a file name with Chinese in it is the best
    guess; else the lead's first sentence ("厦门大学：高举百年….txt" → "厦门大学：高举百年…").
    """
    if clean.title.strip():
        return clean
    stem = PurePath(filename.rsplit(":", 1)[-1]).stem
    if len(_HAN.findall(stem)) >= 4:
        title = stem
    else:
        lead = clean.paragraphs[0] if clean.paragraphs else ""
        match = _FIRST_SENTENCE.match(lead)
        title = match.group(1) if match else lead[:40] + ("…" if len(lead) > 40 else "")
    return dataclasses.replace(clean, title=title.strip())


def item_store(
    item: RawItem,
    *,
    default_year: int | None,
    batch: ImportBatch | None,
    seen: dict[str, str],
    cleaned: CleanArticle | str | None = None,
) -> ItemResult:
    """Clean one item (unless a worker did: `cleaned`) and store it with its raw page; or say
    why not (a failed read or clean, bytes or text stored before, a dry run: batch None)."""
    if item.error:
        return ItemResult(item.name, Outcome.FAILED, item.error)
    sha = hashlib.sha256(item.raw).hexdigest()
    raw_pk = RawPage.objects.filter(sha256=sha).values_list("pk", flat=True).first()
    if raw_pk is not None:
        # By raw_page_id (unique): a join ordered by the article's date made PostgreSQL walk
        # the date index to the end when the page had no article (0.5–2 s per duplicate).
        previous = Article.objects.filter(raw_page_id=raw_pk).values_list("pk", flat=True)
        return result_already(item.name, previous.first())
    clean = item_checked(item, default_year=default_year, cleaned=cleaned)
    if isinstance(clean, ItemResult):
        return clean
    duplicate = duplicate_of(clean, item.name, seen)
    if duplicate is not None:
        return duplicate
    if batch is None:
        return ItemResult(item.name, Outcome.IMPORTED, "试运行，未保存", clean=clean)
    try:
        article = article_create(clean=clean, raw=item.raw, filename=item.name, batch=batch)
    except IntegrityError:
        # Lost a race with another import of the same page or text: a duplicate, not an error.
        return duplicate_of(clean, item.name, {}) or result_already(item.name, None, clean=clean)
    return ItemResult(item.name, Outcome.IMPORTED, article_id=article.pk, clean=clean)


def item_checked(
    item: RawItem, *, default_year: int | None, cleaned: CleanArticle | str | None
) -> CleanArticle | ItemResult:
    """The item cleaned (cleaning it now unless a worker did), with a provisional title if
    it had none; or a FAILED result when the cleaner raised or the page holds no article."""
    if isinstance(cleaned, str):  # the cleaner raised in a worker process
        log.error("cleaner failed on %s: %s", item.name, cleaned)
        return ItemResult(item.name, Outcome.FAILED, f"清洗出错：{cleaned}")
    try:
        clean = cleaned or item_clean(item, default_year=default_year)
    except Exception as exc:  # the cleaner is total; this is a bug: report it and go on
        log.exception("cleaner failed on %s", item.name)
        return ItemResult(item.name, Outcome.FAILED, f"清洗出错：{exc!r}")
    problem = clean_problem(clean)
    if problem:
        return ItemResult(item.name, Outcome.FAILED, problem, clean=clean)
    return provisional_title(clean, filename=item.name)


def duplicate_of(clean: CleanArticle, name: str, seen: dict[str, str]) -> ItemResult | None:
    """DUPLICATE when a stored article or an item earlier in the run has this text; else None."""
    fingerprint = clean.fingerprint
    existing = Article.objects.filter(fingerprint=fingerprint).values_list("pk", flat=True).first()
    return result_duplicate(name, clean, fingerprint, existing=existing, seen=seen)


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
    if batch is not None and batch.created_by_id is not None:
        article._history_user = batch.created_by  # type: ignore[attr-defined]
    article.save()
    return article


def article_apply_clean(
    *,
    article: Article,
    clean: CleanArticle,
    keep: Iterable[str] = (),
    related: RelatedRows | None = None,
    fingerprint: str = "",
) -> None:
    """Copy the cleaner's fields onto an article, except the fields named in `keep`.

    `related`: the Source and District rows already looked up in this run (an import);
    `fingerprint`: clean.fingerprint when the caller has it (it costs ~0.5 ms on a long body).
    """
    kept = set(keep)
    related = RelatedRows() if related is None else related
    published = clean.published
    values: dict[str, object] = {
        "title": clean.title[:300],
        "body": clean.body,
        "published_date": published.to_date() if published else None,
        "published_time": published.time if published else None,
        "published_text": (published.text if published else "")[:64],
        "source": related.source(clean.source),
        "site": related.source(clean.site),
        "district": related.district(clean.district),
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
        article.fingerprint = fingerprint or clean.fingerprint


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


@dataclass
class RelatedRows:
    """Source and District rows by name, each looked up (a Source created) once.

    Rows created inside a transaction that is rolled back are gone: clear() then.
    """

    sources: dict[str | None, Source | None] = field(default_factory=dict)
    districts: dict[str | None, District | None] = field(default_factory=dict)

    def source(self, name: str | None) -> Source | None:
        if name not in self.sources:
            self.sources[name] = source_get_or_create(name=name)
        return self.sources[name]

    def district(self, name: str | None) -> District | None:
        if not name:
            return None
        if name not in self.districts:
            self.districts[name] = District.objects.filter(name=name).first()
        return self.districts[name]

    def clear(self) -> None:
        self.sources.clear()
        self.districts.clear()
