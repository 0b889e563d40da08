"""The editors' writes: corrections, re-clean, bulk changes, restore, a new article by hand.
Keyword-only, typed, atomic per article, idempotent. An import's writes are in
articles/importing/ (store.py one item, chunks.py many at once)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction

from articles.cleaning import text_fingerprint
from articles.importing.readers import JSONL_SUFFIXES, item_clean, iter_blob
from articles.importing.store import article_apply_clean, clean_problem
from articles.models import Article
from search import indexing

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


def article_add(
    *, article: Article, entered: dict[str, object], user: AbstractBaseUser | None
) -> Article:
    """Save an article an editor wrote by hand (the admin's add form, `entered` its cleaned data).

    Every cleaner field the editor filled counts as corrected, so a re-clean keeps it:
    {"title": "…", "body": "…", "district": None} → corrected_fields ["title", "body"].
    """
    article.fingerprint = text_fingerprint(article.body)
    article.corrected_fields = [
        name for name in CLEAN_FIELDS if entered.get(name) not in (None, "", [], False)
    ]
    article._history_user = user  # type: ignore[attr-defined]
    article.save()
    return article


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
