"""History in the editors' console: field diffs in the editors' words, and what a revert changes."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.admin_forms import FIELD_LABELS
from articles.models import Article
from articles.services import CLEAN_FIELDS

LINE_LIST_FIELDS = {"captions", "review_reasons"}  # sentences: one a line, as in the form
REVERT_FIELDS = (*CLEAN_FIELDS, "status")  # corrected_fields is recomputed by the save


class ArticleHistoryHelper(HistoricalRecordContextHelper):
    """History diffs in the editors' words: no "Deleted 行政区 (pk=None)" for a cleared district,
    authors as "记者 罗子泓", lists as the form shows them (no "[a, b]"), corrected fields by
    their Chinese names, a status by its label."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject) and value.pk is None:
            return "（空）"
        field = Article._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        if not isinstance(value, list):
            return value
        if change.field == "corrected_fields":
            value = [str(FIELD_LABELS.get(name, name)) for name in value]
        elif change.field == "authors":
            value = [
                f"{a.get('role', '')} {a.get('name', '')}".strip() if isinstance(a, dict) else a
                for a in value
            ]
        if not value:
            return "（空）"
        return ("\n" if change.field in LINE_LIST_FIELDS else "、").join(map(str, value))


def _value(obj: object, name: str) -> object:
    field = Article._meta.get_field(name)
    if not field.is_relation:
        return getattr(obj, name)
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # a historical record can point at a deleted source
        return "（已删除）"


def revert_changes(*, article: Article, version: object) -> list[ModelChange]:
    """What reverting `article` to the historical `version` changes, in form order, formatted
    like the history list: ModelChange(field=verbose name, old=current value, new=after revert).

    title "改错的标题" now, "湖里区禾山街道…" in the version → [标题: 改错的标题 → 湖里区禾山街道…]
    """
    helper = ArticleHistoryHelper(Article, version)
    changes = []
    for name in REVERT_FIELDS:
        attname = Article._meta.get_field(name).attname
        if getattr(article, attname) != getattr(version, attname):
            change = ModelChange(name, _value(article, name), _value(version, name))
            changes.append(helper.format_delta_change(change))
    return changes
