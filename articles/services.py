"""The only code that writes articles (with articles/import_chunks.py, an import's store).
Keyword-only, typed, atomic per article (an import: per chunk of articles), idempotent."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import logging
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.batches import batch_counts_save, batch_owner, batches_mark_interrupted
from articles.cleaning import CleanArticle, text_fingerprint
from articles.models import Article, District, ImportBatch, RawPage, Source
from articles.readers import JSONL_SUFFIXES, RawItem, clean_job, item_clean, iter_blob
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
    # Batches of killed imports this run found and marked interrupted (articles.batches).
    interrupted: list[ImportBatch] = field(default_factory=list)

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


def articles_import_batch(
    *,
    items: Iterable[RawItem],
    default_year: int | None = None,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    label: str = "",
    on_item: Callable[[ItemResult], None] | None = None,
    workers: int = 1,
) -> ImportReport:
    """Clean and store every item; one bad item never stops the batch.

    Same raw bytes twice → ALREADY; same cleaned text (another encoding, HTML instead of
    text, a repost) → DUPLICATE of the stored article. Dry runs store nothing and still find
    duplicates, in the database and within the run. The index is written once, at the end.
    workers > 1: the cleaner (pure, the costly part) runs in that many worker processes, a
    window of items ahead; the database work stays in this process, in input order, so the
    outcome is the same as with one worker. A real import stores STORE_CHUNK items at a time
    (articles.import_chunks), with the same report as storing them one by one, writes its
    counts to its batch as it goes, marks the batches of killed imports interrupted and, at
    the end, also applies the index updates a killed import left queued.
    """
    report = ImportReport()
    batch = None
    if not dry_run:
        report.interrupted = batches_mark_interrupted()
        batch = ImportBatch.objects.create(
            label=label[:200], created_by=user, default_year=default_year, **batch_owner()
        )
        report.batch_id = batch.pk
    seen: dict[str, str] = {}  # fingerprint → item name, for duplicates within the run
    counts: Counter[str] = Counter()
    # A dry run writes nothing, not even the queue other processes left.
    with contextlib.nullcontext(set()) if dry_run else indexing.batch() as collected:
        pairs = _precleaned(items, default_year=default_year, workers=workers)
        if batch is not None and connection.features.can_return_rows_from_bulk_insert:
            from articles.import_chunks import stored_in_chunks  # it imports this module

            results = stored_in_chunks(
                pairs, default_year=default_year, batch=batch, seen=seen, collected=collected
            )
        else:  # a dry run stores nothing; without ids from bulk inserts, one save per item
            results = (
                _import_one(item, default_year=default_year, batch=batch, seen=seen, cleaned=c)
                for item, c in pairs
            )
        for result in results:
            report.items.append(result)
            if batch is not None:
                _count(counts, result, batch)
            if on_item:
                on_item(result)
        if batch is not None:  # before the index write: a kill there keeps the true counts
            batch_counts_save(batch, counts)
    if batch is not None:
        _batch_finish(batch, report)
    return report


COUNTS_EVERY = 64  # items between two writes of a running import's counts to its batch


def _count(counts: Counter[str], result: ItemResult, batch: ImportBatch) -> None:
    """Count one result; every COUNTS_EVERY items, write the counts to the batch."""
    if result.outcome == Outcome.IMPORTED:
        counts["imported"] += 1
        counts["needs_review"] += result.needs_review
    elif result.outcome == Outcome.FAILED:
        counts["failed"] += 1
    else:
        counts["duplicates"] += 1
    if counts.total() % COUNTS_EVERY == 0:
        batch_counts_save(batch, counts)


CLEAN_WINDOW = 256  # items cleaned ahead per window when cleaning in worker processes


def _precleaned(
    items: Iterable[RawItem], *, default_year: int | None, workers: int
) -> Iterator[tuple[RawItem, CleanArticle | str | None]]:
    """(item, its readers.clean_job result or None) in input order. With workers > 1 and
    more than one window of items, a pool cleans the next window while this process stores
    the last one.

    The pool's processes come from a fork server (a fresh single-threaded process with the
    cleaner preloaded): forking this process, which may run threads, could deadlock.
    """
    iterator = iter(items)
    chunk = list(itertools.islice(iterator, CLEAN_WINDOW))
    if workers <= 1 or len(chunk) < CLEAN_WINDOW:
        yield from ((item, None) for item in itertools.chain(chunk, iterator))
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["articles.readers"])
    pool = context.Pool(workers)
    try:
        pending: tuple[list[RawItem], Any] | None = None
        while True:
            job = (
                pool.map_async(clean_job, [(i, default_year) for i in chunk], 8) if chunk else None
            )
            if pending is not None:
                yield from zip(pending[0], pending[1].get(), strict=True)
            if job is None:
                break
            pending = (chunk, job)
            chunk = list(itertools.islice(iterator, CLEAN_WINDOW))
    finally:
        pool.terminate()
        pool.join()


def _import_one(
    item: RawItem,
    *,
    default_year: int | None,
    batch: ImportBatch | None,
    seen: dict[str, str],
    cleaned: CleanArticle | str | None = None,
) -> ItemResult:
    if item.error:
        return ItemResult(item.name, Outcome.FAILED, item.error)
    sha = hashlib.sha256(item.raw).hexdigest()
    raw_pk = RawPage.objects.filter(sha256=sha).values_list("pk", flat=True).first()
    if raw_pk is not None:
        # By raw_page_id (unique): a join ordered by the article's date made PostgreSQL walk
        # the date index to the end when the page had no article (0.5–2 s per duplicate).
        previous = Article.objects.filter(raw_page_id=raw_pk).values_list("pk", flat=True)
        return _already(item.name, previous.first())
    clean = _checked(item, default_year=default_year, cleaned=cleaned)
    if isinstance(clean, ItemResult):
        return clean
    duplicate = _duplicate_of(clean, item.name, seen)
    if duplicate is not None:
        return duplicate
    if batch is None:
        return ItemResult(item.name, Outcome.IMPORTED, "试运行，未保存", clean=clean)
    try:
        article = article_create(clean=clean, raw=item.raw, filename=item.name, batch=batch)
    except IntegrityError:
        # Lost a race with another import of the same page or text: a duplicate, not an error.
        return _duplicate_of(clean, item.name, {}) or _already(item.name, None, clean=clean)
    return ItemResult(item.name, Outcome.IMPORTED, article_id=article.pk, clean=clean)


def _checked(
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


def _already(name: str, previous: int | None, *, clean: CleanArticle | None = None) -> ItemResult:
    """The very same raw bytes were stored before (as article `previous`, if it still exists)."""
    return ItemResult(
        name, Outcome.ALREADY, "已导入过（内容完全相同）", duplicate_of=previous, clean=clean
    )


def _same_text(name: str, existing: int, clean: CleanArticle) -> ItemResult:
    return ItemResult(
        name, Outcome.DUPLICATE, f"与稿件 #{existing} 正文相同", duplicate_of=existing, clean=clean
    )


def _duplicate_of(clean: CleanArticle, name: str, seen: dict[str, str]) -> ItemResult | None:
    fingerprint = clean.fingerprint
    existing = Article.objects.filter(fingerprint=fingerprint).values_list("pk", flat=True).first()
    return _duplicate(name, clean, fingerprint, existing=existing, seen=seen)


def _duplicate(
    name: str, clean: CleanArticle, fingerprint: str, *, existing: int | None, seen: dict[str, str]
) -> ItemResult | None:
    """DUPLICATE of the stored article `existing` or of an item earlier in the run; else
    None, and the text is the run's now (in `seen`)."""
    if existing is not None:
        return _same_text(name, existing, clean)
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


# --- Editors' corrections (the admin console) ------------------------------------------------

# The fields the cleaner fills: an editor's change to one of these is kept on re-clean.
CLEAN_FIELDS = (
    "title",
    "body",
    "published_date",
    "published_time",
    "published_text",
    "source",
    "site",
    "district",
    "authors",
    "keywords",
    "captions",
    "url",
    "needs_review",
    "review_reasons",
)
EDITABLE_FIELDS = (*CLEAN_FIELDS, "status", "corrected_fields")


class ArticleConflict(Exception):
    """The article changed after the editor opened it; saving would overwrite someone's work."""

    def __init__(self, current: Article) -> None:
        super().__init__(f"稿件 #{current.pk} 在您打开后已被修改")
        self.current = current


class ArticleDuplicate(Exception):
    """A correction or re-clean would give the article the body of another article."""

    def __init__(self, other_id: int | None) -> None:
        super().__init__(f"正文与稿件 #{other_id} 相同" if other_id else "正文与另一篇稿件相同")
        self.other_id = other_id


def _field_value(article: Article, name: str) -> object:
    field = Article._meta.get_field(name)
    return getattr(article, field.attname) if field.is_relation else getattr(article, name)


def _as_stored(name: str, value: object) -> object:
    """A model instance for a foreign key becomes its id, so values compare like for like."""
    field = Article._meta.get_field(name)
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def _set_field(article: Article, name: str, value: object) -> None:
    field = Article._meta.get_field(name)
    setattr(article, field.attname if field.is_relation else name, value)


def _save_unique_body(article: Article) -> None:
    """Save; a body that now equals another article's body is refused, not half-saved."""
    other = (
        Article.objects.filter(fingerprint=article.fingerprint)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if other is not None:
        raise ArticleDuplicate(other)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as exc:
        raise ArticleDuplicate(None) from exc


@transaction.atomic
def article_correct(
    *,
    article: Article,
    changes: dict[str, object],
    user: AbstractBaseUser | None,
    expected_updated_at: object = None,
) -> list[str]:
    """Apply an editor's changes; returns the names of the fields that really changed.

    Changed cleaner fields are added to corrected_fields so a re-clean keeps them. With
    expected_updated_at (the updated_at the editor's form was opened with), a article saved by
    someone else in between raises ArticleConflict instead of silently overwriting.
    {"district": 湖里区} on an article in 思明区 → ["district"], corrected_fields += district.
    """
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise ArticleConflict(current)
    changed = []
    for name, value in changes.items():
        value = _as_stored(name, value)
        if name in EDITABLE_FIELDS and _field_value(current, name) != value:
            _set_field(current, name, value)
            changed.append(name)
    if not changed:
        return []
    if "body" in changed:
        current.fingerprint = text_fingerprint(current.body)
    corrected = set(current.corrected_fields) | (set(changed) & set(CLEAN_FIELDS))
    current.corrected_fields = [name for name in CLEAN_FIELDS if name in corrected]
    current._history_user = user  # type: ignore[attr-defined]
    _save_unique_body(current)
    article.updated_at = current.updated_at
    return changed


def article_reclean(*, article: Article, user: AbstractBaseUser | None) -> list[str]:
    """Rerun today's cleaner on the kept raw page; fields in corrected_fields are kept.

    Returns the names of the fields that changed ([] when the cleaner made the same article).
    Raises ValueError when the article has no raw page, ArticleDuplicate when the new body
    equals another article's.
    """
    if article.raw_page is None:
        raise ValueError("这篇稿件没有保存原始网页，无法重新清洗")
    raw = article.raw_page
    batch_year = article.import_batch.default_year if article.import_batch else None
    year = batch_year or (article.published_date.year if article.published_date else None)
    item = next(iter(iter_blob(_reclean_name(raw.filename), bytes(raw.content))), None)
    if item is None or item.error:
        raise ValueError(f"原始网页无法读取：{item.error if item else '空'}")
    clean = item_clean(item, default_year=year)
    if clean_problem(clean):
        raise ValueError(f"清洗结果不可用：{clean_problem(clean)}")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        before = {name: _field_value(current, name) for name in CLEAN_FIELDS}
        article_apply_clean(article=current, clean=clean, keep=current.corrected_fields)
        changed = [n for n in CLEAN_FIELDS if _field_value(current, n) != before[n]]
        if changed:
            current._history_user = user  # type: ignore[attr-defined]
            current._change_reason = "重新清洗"  # type: ignore[attr-defined]
            _save_unique_body(current)
    return changed


def _reclean_name(filename: str) -> str:
    """A jsonl record is stored as its line, named "feed.jsonl:12": read it as a one-line feed."""
    base, sep, tail = filename.rpartition(":")
    if sep and tail.isdigit() and base.lower().endswith(JSONL_SUFFIXES):
        return base.removesuffix(".gz")
    return filename or "page.html"


def articles_bulk_update(
    *, articles: Iterable[Article], changes: dict[str, object], user: AbstractBaseUser | None
) -> int:
    """Apply the same changes to many articles, one save each (history, search index).

    Returns how many articles changed. {"status": "hidden"} on 3 articles, 1 hidden → 2.
    """
    count = 0
    with indexing.batch():
        for article in articles:
            if article_correct(article=article, changes=changes, user=user):
                count += 1
    return count


@transaction.atomic
def article_restore(*, history_id: int, user: AbstractBaseUser | None) -> Article:
    """Bring back a deleted article from its deletion record in the history.

    Raises ValueError when the article exists again, or ArticleDuplicate when its body was
    imported again since (under another id).
    """
    record = Article.history.get(history_id=history_id)
    if Article.objects.filter(pk=record.id).exists():
        raise ValueError(f"稿件 #{record.id} 没有被删除")
    article = record.instance
    article._state.adding = True
    _drop_missing_relations(article)
    article._history_user = user  # type: ignore[attr-defined]
    article._change_reason = "从已删除稿件恢复"  # type: ignore[attr-defined]
    _save_unique_body(article)
    # auto_now_add stamped the restore time; the article was created when it was first imported.
    Article.objects.filter(pk=article.pk).update(created_at=record.created_at)
    return article


def _drop_missing_relations(article: Article) -> None:
    """A source, district or raw page deleted since the article was: restore without it."""
    for name in ("source", "site", "district", "raw_page", "import_batch"):
        field = Article._meta.get_field(name)
        target = getattr(article, field.attname)
        if target is not None and not field.related_model.objects.filter(pk=target).exists():
            setattr(article, field.attname, None)
