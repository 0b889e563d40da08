"""The reader's search page, /search/. Thin: parse with SearchForm, call search_articles, lay
out links. Every link is built from the *valid* parameters, so a bad one is dropped, not kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from portal.pagination import pagination as paging_links
from search import query
from search.engine.types import BROWSE_SORT, FACETS, default_sort
from search.forms import (
    PAGE_SIZE_DEFAULT,
    PARAM_ORDER,
    SORT_CHOICES,
    SearchForm,
    params_from_form,
)
from search.query import FacetValue, Hit, SearchPage, SearchParams

State = dict[str, str]

FACET_TITLES = {"district": "行政区", "source": "来源", "year": "年份", "month": "月份"}
CHIP_LABELS = {
    "district": "行政区",
    "source": "来源",
    "year": "年份",
    "month": "月份",
    "from": "起",
    "to": "止",
}
# The SearchParams fields a chip stands for: dropping the year drops its month too.
CHIP_PARAMS = {
    "district": ("district",),
    "source": ("source",),
    "year": ("year", "month"),
    "month": ("month",),
    "from": ("date_from",),
    "to": ("date_to",),
}
FACET_VISIBLE = 8  # values shown before "更多"
# Only <mark> may pass through from the engine's HTML; anything else means it is not ours.
FOREIGN_TAG_RE = re.compile(r"<(?!/?mark>)")


def state_from_form(form: SearchForm) -> State:
    """The valid, non-default parameters as strings, in link order (page left out)."""
    data, raw = form.cleaned_data, form.data
    values = {
        "q": data.get("q") or "",
        "district": data.get("district") or "",
        "source": data.get("source") or "",
        "year": str(data["year"]) if data.get("year") else "",
        "month": data.get("month") or "",
        "from": data["from"].isoformat() if data.get("from") else "",
        "to": data["to"].isoformat() if data.get("to") else "",
        "sort": data.get("sort") if raw.get("sort") else "",
        "page_size": str(data["page_size"])
        if data.get("page_size") not in (None, PAGE_SIZE_DEFAULT)
        else "",
    }
    return {name: value for name, value in values.items() if value}


def link(state: State, **changes: str | int | None) -> str:
    """The search URL for the state with changes applied; None or '' removes a parameter.

    link({"q": "海沧"}, district="海沧区", page=None) → "/search/?q=%E6%B5%B7…&district=%E6%B5%B7…"
    """
    merged: dict[str, Any] = {**state, **changes}
    pairs = [(name, merged[name]) for name in PARAM_ORDER if merged.get(name) not in (None, "")]
    return _search_path(get_script_prefix()) + ("?" + urlencode(pairs) if pairs else "")


@functools.cache
def _search_path(prefix: str) -> str:
    """reverse("search") once per script prefix: a results page builds about 60 links."""
    return reverse("search")


def toggle_link(state: State, name: str, value: str) -> str:
    """Add a filter, or remove it when it is the active value; paging restarts at 1."""
    if state.get(name) == value:
        changes: dict[str, str | None] = {name: None}
        if name == "year":
            changes["month"] = None  # a month only makes sense inside its year
    else:
        changes = {name: value}
        if name == "year" and not state.get("month", "").startswith(f"{value}-"):
            changes["month"] = None
        if name == "month":
            changes["year"] = value[:4]
    return link(state, page=None, **changes)


def remove_link(state: State, name: str) -> str:
    changes: dict[str, str | None] = {name: None}
    if name == "year":
        changes["month"] = None
    return link(state, page=None, **changes)


def facet_label(name: str, value: str) -> str:
    """What a reader sees for a facet value: 2021 → 2021年, 2021-11 → 11月."""
    if name == "year":
        return f"{value}年"
    if name == "month" and len(value) == 7:
        return f"{int(value[5:])}月"
    return value


@dataclass(frozen=True)
class FacetItem:
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    items: list[FacetItem]
    more: list[FacetItem]


class WiderSearches:
    """The page's search with some filters (or the keyword) changed, each run once, one hit each.

    Sibling facet counts and the empty page's offers ask for the same wider searches.
    """

    def __init__(self, params: SearchParams) -> None:
        self.params = params
        self.pages: dict[tuple[tuple[str, Any], ...], SearchPage] = {}

    def page(self, **changes: Any) -> SearchPage:
        key = tuple(sorted(changes.items(), key=lambda item: item[0]))
        if key not in self.pages:
            wider = dataclasses.replace(self.params, page=1, page_size=1, **changes)
            self.pages[key] = query.search_articles(wider)
        return self.pages[key]

    def total(self, **changes: Any) -> int:
        return self.page(**changes).total


def facet_values(
    page: SearchPage, state: State, wider: WiderSearches
) -> dict[str, list[FacetValue]]:
    """Each facet counted as if its own filter were off, so a chosen facet still lists the rest.

    ?q=志愿&district=湖里区 → district: [湖里区 2, 思明区 1] (the search without the district),
    source and year: the page's own counts. One wider search per active facet filter.
    """
    values = dict(page.facets)
    for name in FACETS:
        if state.get(name):
            cleared = dict.fromkeys(CHIP_PARAMS[name])
            values[name] = wider.page(**cleared).facets.get(name) or values.get(name) or []
    return values


def facet_groups(facets: dict[str, list[FacetValue]], state: State) -> list[FacetGroup]:
    """District, source, year; month once a year or month is chosen. Empty groups are left out."""
    names = ["district", "source", "year"]
    if state.get("year") or state.get("month"):
        names.append("month")
    groups = []
    for name in names:
        values: list[FacetValue] = facets.get(name) or []
        items = [
            FacetItem(
                label=facet_label(name, fv.value),
                count=fv.count,
                url=toggle_link(state, name, fv.value),
                active=state.get(name) == fv.value,
            )
            for fv in values
        ]
        if items:
            groups.append(
                FacetGroup(name, FACET_TITLES[name], items[:FACET_VISIBLE], items[FACET_VISIBLE:])
            )
    return groups


def chip_value(name: str, value: str) -> str:
    """A chip's value in full: 2021 → 2021年, 2021-11 → 2021年11月, names and dates as they are."""
    if name == "year":
        return facet_label(name, value)
    if name == "month":
        return f"{value[:4]}年{facet_label(name, value)}"
    return value


def active_chips(state: State) -> list[dict[str, str]]:
    """One removable chip per active filter, e.g. {"label": "行政区", "value": "湖里区", "url": …}."""
    return [
        {
            "name": name,
            "label": label,
            "value": chip_value(name, state[name]),
            "url": remove_link(state, name),
        }
        for name, label in CHIP_LABELS.items()
        if state.get(name)
    ]


def broader_searches(wider: WiderSearches, state: State) -> list[dict[str, Any]]:
    """For an empty result: wider searches that do find something, each with its count.

    One per active filter (the search without it), then the filters without the keyword, then
    "any of the words" for a keyword of several plain words:
    ?q=鼓浪屿&district=湖里区 → [{"label": "去掉「行政区：湖里区」", "url": …, "total": 4}, …]
    A wider search that still finds nothing is left out. At most eight searches of one hit.
    """
    params = wider.params
    found = []
    for chip in active_chips(state):
        cleared = dict.fromkeys(CHIP_PARAMS[chip["name"]])
        label = f"去掉「{chip['label']}：{chip['value']}」"
        found.append({"label": label, "url": chip["url"], "total": wider.total(**cleared)})
    if params.q and found:
        label = f"去掉关键词“{params.q}”，只按筛选条件浏览"
        url = link(state, q=None, sort=None, page=None)
        found.append({"label": label, "url": url, "total": wider.total(q="", sort=BROWSE_SORT)})
    words = params.q.split()
    if 1 < len(words) <= 5 and not re.search(r'["\-]|\bOR\b', params.q):
        any_of = " OR ".join(words)
        url = link(state, q=any_of, page=None)
        found.append({"label": f"任一词即可：{any_of}", "url": url, "total": wider.total(q=any_of)})
    return [item for item in found if item["total"]]


def pagination(page: SearchPage, state: State) -> dict[str, Any] | None:
    """Previous/next and numbered links that keep every filter; None for a single page."""
    last = max(1, math.ceil(page.total / page.params.page_size))

    def page_url(number: int) -> str:
        return link(state, page=number if number > 1 else None)

    return paging_links(current=page.params.page, last=last, url=page_url)


def trusted_html(html_text: str, fallback_text: str) -> SafeString:
    """The engine's highlighted HTML if it holds no tag but <mark>, else the fallback escaped.

    ("<mark>厦门</mark>大学", …) → as is; ("<script>x</script>", "<script>x</script>") → "&lt;script&gt;x…"
    """
    if FOREIGN_TAG_RE.search(html_text):
        return escape(fallback_text)
    # The engine marks each word: 志愿 and 服务 side by side read better as one highlight.
    return mark_safe(
        html_text.replace("</mark><mark>", "")
    )  # checked above: escaped text and <mark> only


def date_label(published: str | None) -> tuple[str, str]:
    """("2021-11-03", "2021年11月3日") from an ISO date or datetime; ("", "") if unusable."""
    if not published:
        return "", ""
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return "", ""
    return day.isoformat(), f"{day.year}年{day.month}月{day.day}日"


def hit_item(hit: Hit) -> dict[str, Any]:
    iso, label = date_label(hit.published)
    return {
        "id": hit.id,
        "url": hit.url,
        "title": hit.title,
        "title_html": trusted_html(hit.title_html or escape(hit.title), hit.title),
        "date_iso": iso,
        "date_label": label,
        "source": hit.source,
        "district": hit.district,
        "snippet_html": trusted_html(hit.snippet, strip_tags(hit.snippet)),
    }


def sort_links(state: State) -> list[dict[str, Any]]:
    """相关度/最新/最早; 相关度 only when there is a keyword (browsing has no relevance)."""
    current = state.get("sort") or default_sort(has_query=bool(state.get("q")))
    return [
        {"label": label, "url": link(state, sort=value, page=None), "active": value == current}
        for value, label in SORT_CHOICES
        if value != "relevance" or state.get("q")
    ]


def beyond_last_message(page: SearchPage) -> str:
    """For a page past the last one, the pages there are: page 9 of 41 hits, 20 a page →
    "第 9 页不存在：共 3 页，请选择第 1–3 页"; of 3 hits → "第 9 页不存在：只有 1 页，请回到第 1 页"."""
    last = max(1, math.ceil(page.total / page.params.page_size))
    if last == 1:
        return f"第 {page.params.page} 页不存在：只有 1 页，请回到第 1 页"
    return f"第 {page.params.page} 页不存在：共 {last} 页，请选择第 1–{last} 页"


def search_view(request: HttpRequest) -> HttpResponse:
    """GET /search/?q=…&district=…: results, facets, chips, paging; bad parameters are named."""
    form = SearchForm(request.GET)
    form.is_valid()
    params = params_from_form(form)
    state = state_from_form(form)
    page = query.search_articles(params)
    wider = WiderSearches(params)
    beyond_last = bool(page.total and not page.hits and params.page > 1)
    context = {
        "form": form,
        "errors": [error for errors in form.errors.values() for error in errors],
        "params": params,
        "q": params.q,
        "state": state,
        "page": page,
        "hits": [hit_item(hit) for hit in page.hits],
        "facet_groups": facet_groups(facet_values(page, state, wider), state),
        "chips": active_chips(state),
        "clear_url": link({"q": state["q"]} if state.get("q") else {}),
        "sort_links": sort_links(state),
        "pagination": pagination(page, state),
        "hidden_filters": {k: state[k] for k in (*FACETS, "page_size") if k in state},
        "page_start": (params.page - 1) * params.page_size + 1,
        "beyond_last": beyond_last,
        "beyond_last_message": beyond_last_message(page) if beyond_last else "",
        "last_page_url": link(state, page=math.ceil(page.total / params.page_size))
        if beyond_last and page.total > params.page_size
        else "",
        "broader": [] if page.total else broader_searches(wider, state),
        "first_page_url": link(state),
    }
    return render(request, "search/search.html", context)
