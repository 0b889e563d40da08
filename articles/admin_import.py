"""Import by upload in the admin: upload → dry-run preview → confirm or cancel.

Every upload is checked before anything is stored, by the same reader the command line uses
(articles.importing.readers.blob_problem: type, size, empty, binary, encoding, broken or unsafe zip,
compression bombs); a bad file is reported by name and the whole upload is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from articles.importing import jobs
from articles.importing.readers import ACCEPTED_SUFFIXES, blob_problem
from articles.models import Article, ImportFailure, ImportJob

ACCEPT_ATTR = ",".join(s for s in ACCEPTED_SUFFIXES if s.count(".") == 1) + ",.gz"
STALE_AFTER = dt.timedelta(minutes=10)  # a running job silent this long lost its thread


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class UploadTooLarge(FileUploadHandler):
    """Stops reading an upload once it passes PORTAL_UPLOAD_MAX_BYTES, before it fills the disk."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = settings.PORTAL_UPLOAD_MAX_BYTES
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_empty_file=True, **kwargs)  # upload_problem explains empty files

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError("请选择要导入的文件", code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="文件",
        help_text="可多选（文件很多时请打包成 zip）。txt、html、"
        "zip（内含网页）、jsonl 或 jsonl.gz；UTF-8、GBK/GB18030、Big5、UTF-16 编码均可。",
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
    default_year = forms.IntegerField(
        label="默认年份",
        required=False,
        min_value=1990,
        max_value=dt.date.today().year + 1,
        help_text="页面上的日期只有月日（如“8月20日”）时使用的年份；不填则这些稿件日期留空待审核。",
    )

    def clean_files(self) -> list[tuple[str, bytes]]:
        """[(safe file name, bytes)] once every file passed; the first problem otherwise."""
        files = self.cleaned_data["files"]
        total = sum(f.size or 0 for f in files)
        limit = settings.PORTAL_UPLOAD_MAX_BYTES
        if total > limit:
            raise forms.ValidationError(too_large_message(total))
        checked = []
        for upload in files:
            name = PurePosixPath(upload.name.replace("\\", "/")).name or "upload"
            data = upload.read()
            problem = blob_problem(name, data)
            if problem:
                raise forms.ValidationError(f"“{name}”：{problem}。本次上传未保存任何内容。")
            checked.append((name, data))
        return checked


def too_large_message(size: int) -> str:
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    return (
        f"上传的文件太大（{_megabytes(size)}），一次最多 {_megabytes(limit)}。"
        "请分几次上传，或把网页打包成 zip 后再试。本次上传未保存任何内容。"
    )


# --- Views -------------------------------------------------------------------------------------


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "app_label": "articles",
        **extra,
    }


def _require(request: HttpRequest, *perms: str) -> None:
    if not request.user.has_perms([f"articles.{p}" for p in perms]):
        raise PermissionDenied


@csrf_exempt
def upload_view(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check, store, start the preview, go to the job page."""
    _require(request, "add_importjob", "add_article")
    # The size guard must be in place before anything reads the body (CSRF reads request.POST).
    request.upload_handlers.insert(0, UploadTooLarge(request))
    return csrf_protect(_upload)(request)


def _upload(request: HttpRequest) -> HttpResponse:
    jobs.jobs_expire(days=getattr(settings, "PORTAL_IMPORT_KEEP_DAYS", 7))
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if getattr(request, "upload_too_large", False):
            size = int(request.META.get("CONTENT_LENGTH") or 0)
            form.is_valid()
            form.errors.clear()
            form.add_error(None, too_large_message(size))
        elif form.is_valid():
            job = jobs.job_create(
                files=form.cleaned_data["files"],
                default_year=form.cleaned_data["default_year"],
                user=request.user,
            )
            jobs.job_start(jobs.job_preview, job.pk)
            return redirect("admin:articles_article_import_job", job.pk)
    context = _context(
        request,
        title="导入稿件",
        form=form,
        limit=_megabytes(settings.PORTAL_UPLOAD_MAX_BYTES),
        max_bytes=settings.PORTAL_UPLOAD_MAX_BYTES,
        max_files=settings.DATA_UPLOAD_MAX_NUMBER_FILES or 100_000,
        recent=ImportJob.objects.select_related("created_by")[:10],
    )
    return render(request, "admin/articles/article/import.html", context, status=200)


def job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress while running; the preview table with confirm/cancel; the final report."""
    _require(request, "view_importjob")
    job = get_object_or_404(
        ImportJob.objects.select_related("created_by", "confirmed_by", "cancelled_by", "batch"),
        pk=job_id,
    )
    rows = job.preview[: jobs.PREVIEW_ROWS_KEPT]
    may_act = request.user.has_perms(["articles.add_importjob", "articles.add_article"])
    context = _context(
        request,
        title=f"导入 #{job.pk}：{job.get_state_display()}",
        job=job,
        rows=rows,
        hidden_rows=max(0, job.total - len(rows)) if not job.running else 0,
        can_confirm=may_act and _may_handle(request, job),
        others_upload=may_act and not _may_handle(request, job),
        stale=job_is_stale(job),
        status_url=reverse("admin:articles_article_import_status", args=[job.pk]),
        failures_url=reverse("admin:articles_article_import_failures", args=[job.pk]),
        changelist_url=reverse("admin:articles_article_changelist"),
    )
    return render(request, "admin/articles/article/import_job.html", context)


def _may_handle(request: HttpRequest, job: ImportJob) -> bool:
    """Confirm, cancel or restart: the uploader, or an editor allowed to handle others' uploads."""
    return job.created_by_id == request.user.pk or request.user.has_perm(
        "articles.manage_others_importjob"
    )


def _require_handler(request: HttpRequest, job: ImportJob) -> None:
    if not _may_handle(request, job):
        raise PermissionDenied("只有上传者或有“可确认或取消他人上传的导入”权限的编辑可以操作")


def job_failures_view(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    """Every failure of a job as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    _require(request, "view_importjob")
    job = get_object_or_404(ImportJob, pk=job_id)
    failures = ImportFailure.objects.filter(job=job).values_list("name", "reason", "message")

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["文件", "原因", "说明"])
        yield "\ufeff" + _flush(buffer)
        for row in failures.iterator(chunk_size=2000):
            writer.writerow([_csv_safe(value) for value in row])
            yield _flush(buffer)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-failures.csv"'
    return response


def _flush(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _csv_safe(value: str) -> str:
    """Names come from uploaded archives: one starting like a formula is quoted as text, so a
    spreadsheet never runs "=HYPERLINK(...)" from a zip entry's name."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def job_status_view(request: HttpRequest, job_id: int) -> JsonResponse:
    """The small JSON the job page polls: {"state": "previewing", "done": 3, "total": 10, …}."""
    _require(request, "view_importjob")
    job = get_object_or_404(ImportJob, pk=job_id)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "running": job.running,
        }
    )


@require_POST
def job_confirm_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Start the real import of a previewed job (once, however often the button is pressed)."""
    _require(request, "add_importjob", "add_article")
    _require_handler(request, get_object_or_404(ImportJob, pk=job_id))
    if not jobs.job_confirm(job_id=job_id, user=request.user):
        messages.warning(request, "这个导入已经开始、完成或取消，不能再次确认。")
    return redirect("admin:articles_article_import_job", job_id)


def job_is_stale(job: ImportJob) -> bool:
    """Running, but no progress written for STALE_AFTER: the server restarted under it."""
    return job.running and timezone.now() - job.updated_at > STALE_AFTER


@require_POST
def job_resume_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Restart a stale job. Safe: the preview stores nothing, the import skips stored pages."""
    _require(request, "add_importjob", "add_article")
    job = get_object_or_404(ImportJob, pk=job_id)
    _require_handler(request, job)
    if not job_is_stale(job):
        messages.warning(request, "这个导入没有停滞，不需要重新开始。")
        return redirect("admin:articles_article_import_job", job_id)
    if jobs.job_resume(job=job):
        messages.success(request, "已重新开始；已导入的网页不会重复导入。")
    return redirect("admin:articles_article_import_job", job_id)


@require_POST
def job_cancel_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Cancel a job not yet imported: its uploads are deleted, nothing was stored."""
    _require(request, "add_importjob")
    _require_handler(request, get_object_or_404(ImportJob, pk=job_id))
    if jobs.job_cancel(job_id=job_id, user=request.user):
        messages.success(request, f"已取消导入 #{job_id}，上传的文件已删除，没有保存任何稿件。")
        return redirect("admin:articles_article_import")
    messages.warning(request, "这个导入已经开始或完成，不能取消。")
    return redirect("admin:articles_article_import_job", job_id)


def import_urls(admin_site: admin.AdminSite) -> list:
    """URL patterns under /admin/articles/article/import/, for ArticleAdmin.get_urls."""
    wrap = admin_site.admin_view
    return [
        path("import/", wrap(upload_view), name="articles_article_import"),
        path("import/<int:job_id>/", wrap(job_view), name="articles_article_import_job"),
        path(
            "import/<int:job_id>/status/",
            wrap(job_status_view),
            name="articles_article_import_status",
        ),
        path(
            "import/<int:job_id>/failures.csv",
            wrap(job_failures_view),
            name="articles_article_import_failures",
        ),
        path(
            "import/<int:job_id>/confirm/",
            wrap(job_confirm_view),
            name="articles_article_import_confirm",
        ),
        path(
            "import/<int:job_id>/resume/",
            wrap(job_resume_view),
            name="articles_article_import_resume",
        ),
        path(
            "import/<int:job_id>/cancel/",
            wrap(job_cancel_view),
            name="articles_article_import_cancel",
        ),
    ]
