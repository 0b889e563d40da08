"""Forms of the editors' console: JSON lists as lines, the body as paragraphs, the article form
with its optimistic-concurrency check, and the value pickers of the bulk actions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.admin import widgets as admin_widgets

from articles.cleaning import text_fingerprint
from articles.models import Article, District, Source
from articles.services import CLEAN_FIELDS, EDITABLE_FIELDS

# --- Fields for the JSON lists ---------------------------------------------------------


class LinesField(forms.CharField):
    """A JSON list of strings edited as one item per line: "甲\\n乙" ↔ ["甲", "乙"]."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField lines-field"})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(self.item_text(item) for item in value)
        return value

    def to_python(self, value: object) -> list:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [self.parse_item(line.strip()) for line in text.splitlines() if line.strip()]

    def item_text(self, item: object) -> str:
        return str(item)

    def parse_item(self, line: str) -> object:
        return line


class AuthorsField(LinesField):
    """Authors as "记者 罗子泓" lines ↔ [{"role": "记者", "name": "罗子泓"}]; a bare name has no role."""

    def item_text(self, item: object) -> str:
        if isinstance(item, dict):
            return f"{item.get('role', '')} {item.get('name', '')}".strip()
        return str(item)

    def parse_item(self, line: str) -> object:
        parts = line.split(maxsplit=1)  # any whitespace, the full-width space too
        if len(parts) == 1:
            return {"role": "", "name": parts[0]}
        return {"role": parts[0], "name": parts[1].strip()}


class ParagraphsField(forms.CharField):
    """The body: one paragraph a line; blank lines and the browser's CRLF are dropped."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value) or ""
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


FIELD_LABELS = {name: Article._meta.get_field(name).verbose_name for name in CLEAN_FIELDS}


class ArticleForm(forms.ModelForm):
    body = ParagraphsField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField body-field"}),
        help_text="每行一段。",
    )
    authors = AuthorsField(
        label="作者", required=False, help_text="每行一位：角色 姓名，如“记者 罗子泓”。"
    )
    keywords = LinesField(label="关键词", required=False, help_text="每行一个。")
    captions = LinesField(label="图片说明", required=False, help_text="每行一条。")
    review_reasons = LinesField(label="审核原因", required=False, help_text="每行一条。")
    corrected_fields = forms.MultipleChoiceField(
        label="人工修改的字段",
        required=False,
        choices=list(FIELD_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的字段在“重新清洗”时保留编辑的版本；保存时改动的字段会自动勾选。",
    )
    expected_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [*EDITABLE_FIELDS]
        # Seconds shown, or every save would cut 09:11:07 to 09:11 and count it as a correction.
        widgets = {"published_time": admin_widgets.AdminTimeWidget(format="%H:%M:%S")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["expected_updated_at"].initial = self.instance.updated_at.isoformat()

    def clean(self) -> dict:
        data = super().clean()
        body = data.get("body")
        if body:
            other = Article.objects.filter(fingerprint=text_fingerprint(body))
            other_id = other.exclude(pk=self.instance.pk).values_list("pk", flat=True).first()
            if other_id is not None:
                self.add_error("body", f"正文与稿件 #{other_id} 相同，不能保存为两篇稿件。")
        if self.instance.pk:
            self._check_conflict()
        return data

    def _check_conflict(self) -> None:
        """Refuse a save over someone else's newer save, keeping the editor's input on screen.

        Runs inside the admin's transaction: the row lock holds until this save commits.
        """
        current = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            raise forms.ValidationError("这篇稿件已被删除，无法保存。")
        expected = self.cleaned_data.get("expected_updated_at") or ""
        if expected and current.updated_at.isoformat() == expected:
            return
        # Missing, empty or unreadable is refused like a stale stamp: nothing proves the editor
        # saw the current version, and skipping the check must not be a way to overwrite.
        self.data = self.data.copy()  # the next save is a deliberate overwrite
        self.data["expected_updated_at"] = current.updated_at.isoformat()
        raise forms.ValidationError(conflict_message(current, opened_at(expected)))


def opened_at(expected: str) -> dt.datetime | None:
    """When the form was opened, from its stamp: "2021-11-13T01:11:07+00:00" → that time;
    None when the stamp is empty, garbage or has no time zone."""
    try:
        when = dt.datetime.fromisoformat(expected)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def conflict_message(current: Article, since: dt.datetime | None) -> str:
    """What the editor is told when someone else saved since the form was opened (`since`;
    None when unknown: then the latest save is named, without a list of changed fields)."""
    history = Article.history.filter(id=current.pk).order_by("history_date")
    if since is not None:
        records = list(history.filter(history_date__gte=since))
    else:
        records = list(history.reverse()[:1])
    who = "其他编辑"
    changed = []
    if records:
        latest = records[-1]
        who = str(latest.history_user or who)
        if len(records) > 1:
            delta = latest.diff_against(records[0])
            changed = [
                Article._meta.get_field(c.field).verbose_name
                for c in delta.changes
                if c.field not in ("corrected_fields", "fingerprint")
            ]
        when = latest.history_date.astimezone().strftime("%H:%M:%S")
    else:
        when = current.updated_at.astimezone().strftime("%H:%M:%S")
    what = f"对方改动了：{'、'.join(map(str, changed))}。" if changed else ""
    return (
        f"保存冲突：这篇稿件在您打开之后已被 {who} 于 {when} 修改。{what}"
        "您的修改没有保存，但仍在下面的表单里，没有丢失。"
        "请在新窗口查看对方的版本（或“历史”），核对后再次点击“保存”即以您的版本为准。"
    )


# --- Bulk action value pickers ---------------------------------------------------------------


class BulkChoiceForm(forms.Form):
    """A value for every selected article, chosen on purpose: nothing is preselected, and
    clearing the field is its own option, so pressing "apply" without a choice changes nothing."""

    CLEAR = "clear"
    use_required_attribute = False  # our Chinese message, not the browser's (often English) one
    model: type[District] | type[Source]
    label = ""
    clear_label = ""

    value = forms.ChoiceField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        field.label = self.label
        field.choices = [
            ("", "— 请选择 —"),
            (self.CLEAR, self.clear_label),
            *((str(obj.pk), str(obj)) for obj in self.model.objects.all()),
        ]
        field.error_messages["required"] = (
            f"请选择{self.label}；要清空，请选择“{self.clear_label}”。没有修改任何稿件。"
        )

    def clean_value(self) -> District | Source | None:
        value = self.cleaned_data["value"]
        if value == self.CLEAR:
            return None
        found = self.model.objects.filter(pk=value).first()
        if found is None:
            raise forms.ValidationError(f"这个{self.label}已不存在，请重新选择。")
        return found


class DistrictChoiceForm(BulkChoiceForm):
    model = District
    label = "行政区"
    clear_label = "（清空：不属于任何区）"


class SourceChoiceForm(BulkChoiceForm):
    model = Source
    label = "来源"
    clear_label = "（清空：无来源）"
