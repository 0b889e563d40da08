"""The search parameters, shared by the page (/search/) and the API (/api/search).

SearchForm(request.GET) validates the query string; params_from_form(form) → SearchParams.
A bad field is left out of cleaned_data, so the page can still search with the rest and say
which parameter it ignored, while the API answers 400 with form_errors(form).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from search.engine.types import MAX_PAGE_SIZE, default_sort
from search.query import SearchParams

QUERY_MAX_CHARS = 200
PAGE_SIZE_DEFAULT = 20
YEAR_MIN, YEAR_MAX = 1900, 2100
SORT_CHOICES = [("relevance", "相关度"), ("newest", "最新"), ("oldest", "最早")]
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

# The order of the parameters in every link the page builds.
PARAM_ORDER = (
    "q",
    "district",
    "source",
    "year",
    "month",
    "from",
    "to",
    "sort",
    "page",
    "page_size",
)


def clean_query_text(value: str | None) -> str:
    """Strip NUL and outer spaces, then cap the length: long input is cut, never refused.

    "  厦门\\x00大学  " → "厦门大学"
    """
    text = (value or "").replace("\x00", "").strip()
    return text[:QUERY_MAX_CHARS].strip()


class QueryField(forms.CharField):
    """Free text: NUL is removed before Django's null-character validator sees it."""

    def to_python(self, value: Any) -> str:
        return clean_query_text(super().to_python(value))


class NameField(forms.CharField):
    """A facet value (湖里区, 厦门日报): NUL removed, spaces stripped."""

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\x00", "").strip()


def _int_field(label: str, low: int, high: int, message: str) -> forms.IntegerField:
    errors = {"invalid": message, "min_value": message, "max_value": message}
    return forms.IntegerField(
        label=label, required=False, min_value=low, max_value=high, error_messages=errors
    )


def _date_field(label: str) -> forms.DateField:
    message = f"{label}应为 YYYY-MM-DD 格式的日期，例如 2021-11-03"
    return forms.DateField(
        label=label, required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": message}
    )


class SearchForm(forms.Form):
    q = QueryField(label="关键词", required=False)
    district = NameField(
        label="行政区",
        required=False,
        max_length=32,
        error_messages={"max_length": "行政区名称过长"},
    )
    source = NameField(
        label="来源", required=False, max_length=64, error_messages={"max_length": "来源名称过长"}
    )
    year = _int_field("年份", YEAR_MIN, YEAR_MAX, f"年份应为 {YEAR_MIN}–{YEAR_MAX} 之间的整数")
    month = NameField(label="月份", required=False)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=SORT_CHOICES,
        error_messages={
            "invalid_choice": "排序只能是 relevance（相关度）、newest（最新）或 oldest（最早）"
        },
    )
    page = _int_field("页码", 1, 100_000, "页码应为不小于 1 的整数")
    page_size = _int_field(
        "每页条数", 1, MAX_PAGE_SIZE, f"每页条数应为 1–{MAX_PAGE_SIZE} 之间的整数"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the two date fields are added here, not declared.
        self.fields["from"] = _date_field("起始日期")
        self.fields["to"] = _date_field("截止日期")
        self.order_fields(PARAM_ORDER)

    def clean_month(self) -> str:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return ""
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("月份应为 YYYY-MM 格式，例如 2021-11")
        if not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
            raise forms.ValidationError(f"月份的年份应在 {YEAR_MIN}–{YEAR_MAX} 之间")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and not month.startswith(f"{year}-"):
            self.add_error("month", f"月份 {month} 不在所选年份 {year} 内")
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "截止日期不能早于起始日期")
        return data


def params_from_form(form: SearchForm) -> SearchParams:
    """The valid part of a bound form as SearchParams; bad fields fall back to their default.

    ?q=志愿服务&year=2021&page_size=abc → SearchParams(q="志愿服务", year=2021, page_size=20)
    Browsing (no keyword) sorts newest first unless a sort is asked for.
    """
    data = form.cleaned_data
    q = data.get("q", "")
    date_from: dt.date | None = data.get("from")
    date_to: dt.date | None = data.get("to")
    return SearchParams(
        q=q,
        district=data.get("district") or None,
        source=data.get("source") or None,
        year=data.get("year"),
        month=data.get("month") or None,
        date_from=date_from,
        date_to=date_to,
        sort=data.get("sort") or default_sort(has_query=bool(q)),
        page=data.get("page") or 1,
        page_size=data.get("page_size") or PAGE_SIZE_DEFAULT,
    )


def form_errors(form: SearchForm) -> dict[str, str]:
    """{"month": "月份应为 YYYY-MM 格式，例如 2021-11"}: one message per bad parameter."""
    return {name: "；".join(messages) for name, messages in form.errors.items()}
