"""The editors' console: articles (list, form, history, re-clean, restore), sources, imports.

Thin: forms parse what the editor typed; articles/services.py (an editor's changes) and
articles/importing/jobs.py (upload jobs) do the writing.
"""

from __future__ import annotations

import re
from datetime import MAXYEAR, MINYEAR

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from articles import admin_import
from articles.admin_forms import FIELD_LABELS, ArticleForm, DistrictChoiceForm, SourceChoiceForm
from articles.admin_history import ArticleHistoryHelper, revert_changes
from articles.admin_lists import GuardedListMixin
from articles.models import Article, District, ImportBatch, ImportJob, Source
from articles.services import (
    EDITABLE_FIELDS,
    ArticleDuplicate,
    article_add,
    article_correct,
    article_reclean,
    article_restore,
    articles_bulk_update,
)

admin.site.site_header = "厦门新闻检索 · 编辑后台"
admin.site.site_title = "厦门新闻检索后台"
admin.site.index_title = "稿件与导入"

RAW_TEXT_SHOWN = 200_000  # characters of the raw page shown beside the form
YEAR_RE = re.compile(r"[0-9]{1,4}")  # ASCII digits only: str.isdigit() also takes "²"


# --- List filters --------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        dates = Article.objects.dates("published_date", "year", order="DESC")
        return [(str(d.year), f"{d.year} 年") for d in dates] + [("none", "无日期")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "none":
            return queryset.filter(published_date__isnull=True)
        if value:
            return queryset.filter(published_date__year=self.year(value))
        return queryset

    @staticmethod
    def year(value: str) -> int:
        """The year to filter on: "2021" → 2021; "10000", "²" or "２０２１" is a bad filter."""
        if not YEAR_RE.fullmatch(value) or not MINYEAR <= int(value) <= MAXYEAR:
            raise IncorrectLookupParameters(f"不是年份：{value[:20]}")
        return int(value)


# --- Bulk actions with a page to pick the value ---------------------------------------------


def _bulk_set(modeladmin, request, queryset, *, field: str, form_class, label: str):
    """First call: a page to pick the value. Second call (with "apply"): update and report."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        value = form.cleaned_data["value"]
        count = articles_bulk_update(articles=queryset, changes={field: value}, user=request.user)
        done = f"设为“{value}”" if value is not None else "清空"
        modeladmin.message_user(request, f"已将 {count} 篇稿件的{label}{done}。", messages.SUCCESS)
        return None
    count = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"批量设置{label}",
        "opts": modeladmin.model._meta,
        "form": form,
        "articles": queryset[:200],
        "count": count,
        "more": max(0, count - 200),
        "action": request.POST.get("action"),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "label": label,
    }
    return render(request, "admin/articles/article/bulk_set.html", context)


@admin.action(description="设置行政区…", permissions=["change"])
def set_district(modeladmin, request, queryset):
    return _bulk_set(
        modeladmin,
        request,
        queryset,
        field="district",
        form_class=DistrictChoiceForm,
        label="行政区",
    )


@admin.action(description="设置来源…", permissions=["change"])
def set_source(modeladmin, request, queryset):
    return _bulk_set(
        modeladmin, request, queryset, field="source", form_class=SourceChoiceForm, label="来源"
    )


def _simple_action(changes: dict, done: str):
    def action(modeladmin, request, queryset):
        count = articles_bulk_update(articles=queryset, changes=changes, user=request.user)
        modeladmin.message_user(request, f"{count} 篇稿件{done}。", messages.SUCCESS)

    return action


hide = admin.action(description="隐藏（不在网站和搜索中显示）", permissions=["change"])(
    _simple_action({"status": Article.Status.HIDDEN}, "已隐藏")
)
hide.__name__ = "hide"
publish = admin.action(description="发布", permissions=["change"])(
    _simple_action({"status": Article.Status.PUBLISHED}, "已发布")
)
publish.__name__ = "publish"
mark_reviewed = admin.action(description="标记为已审核", permissions=["change"])(
    _simple_action({"needs_review": False}, "已标记为已审核")
)
mark_reviewed.__name__ = "mark_reviewed"


@admin.action(description="重新清洗（保留人工修改的字段）", permissions=["change"])
def reclean(modeladmin, request, queryset):
    changed = failed = 0
    for article in queryset.select_related("raw_page", "import_batch"):
        try:
            changed += bool(article_reclean(article=article, user=request.user))
        except (ValueError, ArticleDuplicate) as exc:
            failed += 1
            modeladmin.message_user(
                request, f"#{article.pk} {article.title}：{exc}", messages.WARNING
            )
    modeladmin.message_user(request, f"重新清洗完成：{changed} 篇有变化，{failed} 篇未能清洗。")


# --- Admins ----------------------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(GuardedListMixin, SimpleHistoryAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = ["title", "published_date", "source", "district", "needs_review", "status"]
    list_display_links = ["title"]
    empty_value_display = "（无）"  # Django's "-" reads as a typo in a Chinese list
    list_filter = [
        "district",
        ("source", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        "needs_review",
        "status",
    ]
    list_select_related = ["source", "district"]
    search_fields = ["title", "body"]
    list_per_page = 50
    actions = [set_district, set_source, hide, publish, mark_reviewed, reclean]
    autocomplete_fields = ["source", "site"]
    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"
    fieldsets = [
        (None, {"fields": ["title", "body", "status", "expected_updated_at"]}),
        ("日期", {"fields": [("published_date", "published_time"), "published_text"]}),
        ("来源与地区", {"fields": ["source", "site", "district", "url"]}),
        ("作者、关键词、图片说明", {"fields": ["authors", "keywords", "captions"]}),
        ("审核", {"fields": ["needs_review", "review_reasons", "corrected_fields"]}),
    ]

    class Media:
        css = {"all": ["admin-extra/console.css"]}

    def get_historical_record_context_helper(self, request, historical_record):
        return ArticleHistoryHelper(self.model, historical_record)

    def get_action_choices(
        self, request, default_choices=None, action_location=ActionLocation.CHANGE_LIST
    ):
        # Django 6.1's "- Select an option -" has no Chinese translation yet.
        return super().get_action_choices(
            request, [("", "— 选择批量操作 —")], action_location=action_location
        )

    def get_urls(self) -> list:
        own = [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="articles_article_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:object_id>/reclean/",
                self.admin_site.admin_view(self.reclean_view),
                name="articles_article_reclean",
            ),
        ]
        return admin_import.import_urls(self.admin_site) + own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.select_related("raw_page").filter(pk=object_id).first()
        extra = dict(extra_context or {})
        if article is not None and article.raw_page is not None:
            raw = article.raw_page
            text = raw.text()
            extra.update(
                raw_page=raw,
                raw_text=text[:RAW_TEXT_SHOWN],
                raw_cut=len(text) > RAW_TEXT_SHOWN,
            )
        return super().change_view(request, object_id, form_url, extra)

    def save_model(self, request, obj, form, change):
        if not change:
            article_add(article=obj, entered=form.cleaned_data, user=request.user)
            return
        changes = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        # The conflict was checked in ArticleForm.clean under a row lock in this transaction.
        article_correct(article=obj, changes=changes, user=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        version = Article.history.filter(id=object_id, history_id=version_id).first()
        extra = {**(extra_context or {}), "version": version}
        article = Article.objects.select_related("source", "site", "district")
        article = article.filter(pk=object_id).first()
        if version is not None and article is not None:
            extra["revert_changes"] = revert_changes(article=article, version=version)
        with transaction.atomic():  # ArticleForm locks the row while it checks for conflicts
            return super().history_form_view(request, object_id, version_id, extra)

    def reclean_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:articles_article_change", object_id)
        article = get_object_or_404(
            Article.objects.select_related("raw_page", "import_batch"), pk=object_id
        )
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            changed = article_reclean(article=article, user=request.user)
        except (ValueError, ArticleDuplicate) as exc:
            self.message_user(request, f"无法重新清洗：{exc}", messages.ERROR)
        else:
            kept = "、".join(
                str(FIELD_LABELS[n]) for n in article.corrected_fields if n in FIELD_LABELS
            )
            names = "、".join(str(FIELD_LABELS[n]) for n in changed)
            result = f"更新了：{names}" if changed else "清洗结果与当前稿件相同，没有变化"
            self.message_user(
                request, f"已重新清洗。{result}。" + (f"保留了人工修改的：{kept}。" if kept else "")
            )
        return redirect("admin:articles_article_change", object_id)

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """已删除稿件: the latest deletion record of every article that is still deleted."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        existing = Article.objects.values("pk")
        records = (
            Article.history.filter(history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")
        )
        seen: set[int] = set()
        rows = [r for r in records[:1000] if not (r.id in seen or seen.add(r.id))]
        context = {
            **self.admin_site.each_context(request),
            "title": "已删除稿件",
            "opts": self.model._meta,
            "rows": rows,
            "can_restore": self.has_add_permission(request),
        }
        return render(request, "admin/articles/article/deleted.html", context)

    def restore_view(self, request: HttpRequest, history_id: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:articles_article_deleted")
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            article = article_restore(history_id=history_id, user=request.user)
        except Article.history.model.DoesNotExist:
            self.message_user(request, "找不到这条删除记录。", messages.ERROR)
        except (ValueError, ArticleDuplicate) as exc:
            self.message_user(request, f"无法恢复：{exc}", messages.ERROR)
        else:
            url = reverse("admin:articles_article_change", args=[article.pk])
            self.message_user(
                request,
                format_html('已恢复稿件 <a href="{}">#{} {}</a>。', url, article.pk, article.title),
            )
        return redirect("admin:articles_article_deleted")


# Django's users and groups, with the same guard on their lists as ours.
for _model, _admin_class in ((get_user_model(), UserAdmin), (Group, GroupAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin_class.__name__, (GuardedListMixin, _admin_class), {}))


@admin.register(Source)
class SourceAdmin(GuardedListMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(GuardedListMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "pinyin", "slug"]
    search_fields = ["name", "short_name", "pinyin"]


@admin.register(ImportBatch)
class ImportBatchAdmin(GuardedListMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "created_by",
        "started_at",
        "state",
        "imported",
        "duplicates",
        "needs_review",
        "failed",
        "articles_link",
    ]
    list_filter = ["interrupted"]
    list_select_related = ["created_by"]

    @admin.display(description="状态")
    def state(self, obj: ImportBatch) -> str:
        """已中断: its process died before it finished (articles.batches)."""
        if obj.interrupted:
            return "已中断"
        return "已完成" if obj.finished_at else "进行中"

    @admin.display(description="稿件")
    def articles_link(self, obj: ImportBatch) -> str:
        url = reverse("admin:articles_article_changelist") + f"?import_batch__id__exact={obj.pk}"
        return format_html('<a href="{}">查看稿件</a>', url)

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(GuardedListMixin, admin.ModelAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "done", "total", "job_link"]
    list_filter = ["state"]
    list_select_related = ["created_by"]
    fields = [
        "state",
        "created_by",
        "created_at",
        "default_year",
        "files",
        "total",
        "done",
        "report",
        "error",
        "batch",
    ]
    readonly_fields = fields

    @admin.display(description="详情")
    def job_link(self, obj: ImportJob) -> str:
        return format_html(
            '<a href="{}">打开</a>', reverse("admin:articles_article_import_job", args=[obj.pk])
        )

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:articles_article_import")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
