"""Articles and the tables they point to. Fields and constraints only: the import pipeline
lives in articles/cleaning/ (pure), articles/importing/ (an import's writes) and
articles/services.py (the editors' writes)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class District(models.Model):
    """One of Xiamen's six districts, seeded by a migration."""

    name = models.CharField("名称", max_length=8, unique=True)  # 思明区
    short_name = models.CharField("简称", max_length=4, unique=True)  # 思明
    pinyin = models.CharField("拼音", max_length=32)  # Siming
    slug = models.SlugField(unique=True)  # siming
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = verbose_name_plural = "行政区"

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """An outlet: credited as an article's source (来源) or the site a page came from."""

    name = models.CharField("名称", max_length=64, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "来源"

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One run of the importer (command line or upload), with its report."""

    label = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    default_year = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    needs_review = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # The process running it, to tell a killed import (finished_at still empty) from a live one.
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    interrupted = models.BooleanField("已中断", default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"


class RawPage(models.Model):
    """A scraped page exactly as imported. Never modified after it is stored."""

    sha256 = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    filename = models.CharField(max_length=500, blank=True)
    encoding = models.CharField("检测到的编码", max_length=32, blank=True)
    size = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "原始网页"

    def __str__(self) -> str:
        return f"{self.filename or self.sha256[:12]}"

    def text(self) -> str:
        """The page decoded the way the cleaner decoded it, for display beside the article."""
        from articles.cleaning.encoding import decode_bytes

        return decode_bytes(bytes(self.content)).text


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def with_relations(self) -> ArticleQuerySet:
        return self.select_related("source", "site", "district")


class Article(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "已发布"
        HIDDEN = "hidden", "已隐藏"

    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", help_text="干净的段落，每行一段")
    published_date = models.DateField("发布日期", null=True, blank=True, db_index=True)
    published_time = models.TimeField("发布时间", null=True, blank=True)
    published_text = models.CharField(
        "原文日期", max_length=64, blank=True, help_text="页面上找到的日期写法（可能缺年份）"
    )
    source = models.ForeignKey(
        Source,
        verbose_name="来源",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    site = models.ForeignKey(
        Source,
        verbose_name="网站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_articles",
    )
    district = models.ForeignKey(
        District,
        verbose_name="行政区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.JSONField(
        "作者", default=list, blank=True, help_text='[{"role": "记者", "name": "罗子泓"}]'
    )
    keywords = models.JSONField("关键词", default=list, blank=True)
    captions = models.JSONField("图片说明", default=list, blank=True)
    url = models.URLField("原文链接", max_length=1000, blank=True)
    raw_page = models.OneToOneField(
        RawPage,
        verbose_name="原始网页",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="article",
    )
    fingerprint = models.CharField("正文指纹", max_length=64, unique=True)
    needs_review = models.BooleanField("待审核", default=False, db_index=True)
    review_reasons = models.JSONField("审核原因", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    corrected_fields = models.JSONField(
        "人工修改的字段",
        default=list,
        blank=True,
        help_text="编辑改过的字段；重新清洗时保留这些字段",
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-published_time", "-id"]
        verbose_name = verbose_name_plural = "稿件"
        indexes = [
            models.Index(fields=["status", "-published_date"]),
            models.Index(fields=["district", "-published_date"]),
            models.Index(fields=["source", "-published_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url_of(self.pk)

    @staticmethod
    def url_of(pk: int) -> str:
        return f"/articles/{pk}/"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n") if p.strip()]

    @property
    def published(self) -> dt.date | dt.datetime | None:
        """The date, or the local date and time when the time is known."""
        return self.combine_published(self.published_date, self.published_time)

    @staticmethod
    def combine_published(
        date: dt.date | None, time: dt.time | None
    ) -> dt.date | dt.datetime | None:
        if date is None:
            return None
        if time is None:
            return date
        return dt.datetime.combine(date, time)

    @property
    def raw_sha256(self) -> str:
        return self.raw_page.sha256 if self.raw_page_id else ""


class ImportJob(models.Model):
    """An upload in the admin: stored files, a dry-run preview, then (on confirm) the import."""

    class State(models.TextChoices):
        PREVIEWING = "previewing", "预览中"
        PREVIEWED = "previewed", "待确认"
        IMPORTING = "importing", "导入中"
        DONE = "done", "已导入"
        CANCELLED = "cancelled", "已取消"
        FAILED = "failed", "出错"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    default_year = models.PositiveSmallIntegerField("默认年份", null=True, blank=True)
    files = models.JSONField("文件", default=list, blank=True)  # [{"name": ..., "size": ...}]
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PREVIEWING)
    total = models.PositiveIntegerField("条目数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    preview = models.JSONField("预览", default=list, blank=True)
    report = models.JSONField("导入结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name="导入批次", null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "上传导入"
        permissions = [("manage_others_importjob", "可确认或取消他人上传的导入")]

    def __str__(self) -> str:
        names = "、".join(f["name"] for f in self.files[:3])
        return f"#{self.pk} {names}"

    @property
    def running(self) -> bool:
        return self.state in {self.State.PREVIEWING, self.State.IMPORTING}


class ImportFailure(models.Model):
    """One item of an upload that could not be imported, kept apart from the job's row so that
    an archive of 20,000 bad entries costs 20,000 small rows, not one row of megabytes."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="failures")
    position = models.PositiveIntegerField()  # order within the job's items
    name = models.CharField("文件", max_length=1000)
    reason = models.CharField("原因", max_length=200)
    message = models.TextField("说明")

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="importfailure_position")
        ]
        verbose_name = verbose_name_plural = "导入失败项"

    def __str__(self) -> str:
        return f"{self.name}：{self.message}"
