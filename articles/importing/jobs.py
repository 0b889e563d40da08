"""Upload imports run in the background: a dry-run preview first, the real import on confirm.

The request that starts a job returns at once; a thread does the work and writes its progress
to the ImportJob row, which the preview page polls. settings.PORTAL_IMPORT_SYNC = True runs the
work in the calling thread instead (tests).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem, iter_blob
from articles.importing.results import ImportReport, ItemResult, Outcome
from articles.models import Article, ImportFailure, ImportJob

log = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
UPDATE_ATTEMPTS = 5
PREVIEW_ROWS_KEPT = 1000  # rows of the preview table stored on the job; the rest are counted
FAILURES_SHOWN = 200  # failures listed on the job page; all of them are in the CSV download
OUTCOME_LABELS = {
    Outcome.IMPORTED: "已导入",
    Outcome.DUPLICATE: "重复",
    Outcome.ALREADY: "已导入过",
    Outcome.FAILED: "失败",
}
_DETAIL = re.compile(r"（[^（）]*）")


def job_dir(job_id: int) -> Path:
    """Where a job's uploads are kept until it is imported or cancelled."""
    return Path(settings.MEDIA_ROOT) / "imports" / str(job_id)


def job_items(job: ImportJob) -> Iterator[RawItem]:
    """The raw items in a job's stored files, in upload order, read as they are needed."""
    for entry in job.files:
        data = (job_dir(job.pk) / entry["stored"]).read_bytes()
        yield from iter_blob(entry["name"], data)


def job_discard_files(job_id: int) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def job_create(
    *, files: list[tuple[str, bytes]], default_year: int | None, user: AbstractBaseUser
) -> ImportJob:
    """Store checked uploads under MEDIA_ROOT/imports/<job id>/ and record the job."""
    with transaction.atomic():
        job = ImportJob.objects.create(created_by=user, default_year=default_year)
        folder = job_dir(job.pk)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            entries = []
            for number, (name, data) in enumerate(files, start=1):
                stored = f"{number:03d}.upload"  # never the uploaded name: it is untrusted
                (folder / stored).write_bytes(data)
                entries.append({"name": name, "stored": stored, "size": len(data)})
        except OSError:
            job_discard_files(job.pk)
            raise
        job.files = entries
        job.save(update_fields=["files"])
    return job


def jobs_expire(*, days: int = 7) -> int:
    """Cancel previews nobody confirmed for `days` days and delete their uploads; → how many."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    idle = [ImportJob.State.PREVIEWED, ImportJob.State.FAILED]
    stale = ImportJob.objects.filter(state__in=idle, updated_at__lt=cutoff)
    expired = 0
    for job_id, state in stale.values_list("pk", "state"):
        if _update(job_id, only_if=state, state=ImportJob.State.CANCELLED):
            job_discard_files(job_id)
            expired += 1
    return expired


def job_start(work: Callable[[int], None], job_id: int) -> None:
    """Run work(job_id) in a background thread (or inline with PORTAL_IMPORT_SYNC)."""
    if getattr(settings, "PORTAL_IMPORT_SYNC", False):
        work(job_id)
        return
    thread = threading.Thread(
        target=_run_and_close, args=(work, job_id), name=f"import-job-{job_id}", daemon=True
    )
    thread.start()


def _run_and_close(work: Callable[[int], None], job_id: int) -> None:
    try:
        work(job_id)
    finally:
        connections.close_all()  # this thread's connections would otherwise leak


def _update(job_id: int, *, only_if: str | None = None, **fields: object) -> int:
    """Write fields on the job; with only_if, only while the job is still in that state
    (a job cancelled while it ran stays cancelled)."""
    query = ImportJob.objects.filter(pk=job_id)
    if only_if is not None:
        query = query.filter(state=only_if)
    for attempt in range(UPDATE_ATTEMPTS):
        try:
            return query.update(updated_at=timezone.now(), **fields)
        except OperationalError:  # SQLite "locked" past its timeout: a reader was in the way
            if attempt == UPDATE_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    return 0


class _Progress:
    """on_item callback: counts items and writes the count at most twice a second."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.done = 0
        self.written_at = 0.0

    def __call__(self, result: ItemResult) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.written_at >= PROGRESS_EVERY_SECONDS:
            _update(self.job_id, done=self.done)
            self.written_at = now


def job_preview(job_id: int) -> None:
    """Dry-run the cleaner over the job's files and store the preview rows. Stores no article."""
    running = ImportJob.State.PREVIEWING
    try:
        job = ImportJob.objects.get(pk=job_id)
        total = sum(1 for _ in job_items(job))
        _update(job_id, total=total, done=0)
        report = articles_import_batch(
            items=job_items(job),
            default_year=job.default_year,
            dry_run=True,
            on_item=_Progress(job_id),
        )
        failures_store(job_id, report)
        _update(
            job_id,
            only_if=running,
            state=ImportJob.State.PREVIEWED,
            preview=preview_rows(report, dry_run=True),
            report=report_dict(report),
            done=total,
        )
    except Exception as exc:
        log.exception("import preview %s failed", job_id)
        _update(job_id, only_if=running, state=ImportJob.State.FAILED, error=repr(exc))


def job_import(job_id: int) -> None:
    """The real import of a previewed job; its uploads are deleted once the pages are stored."""
    running = ImportJob.State.IMPORTING
    try:
        job = ImportJob.objects.select_related("created_by", "confirmed_by").get(pk=job_id)
        uploader = job.created_by.get_username() if job.created_by else "?"
        report = articles_import_batch(
            items=job_items(job),
            default_year=job.default_year,
            user=job.confirmed_by,  # the batch and the articles' history name who confirmed
            label=f"上传 #{job.pk}（{uploader} 上传）：" + "、".join(f["name"] for f in job.files),
            on_item=_Progress(job_id),
        )
        failures_store(job_id, report)
        _update(
            job_id,
            only_if=running,
            state=ImportJob.State.DONE,
            preview=preview_rows(report, dry_run=False),
            report=report_dict(report),
            batch_id=report.batch_id,
            done=len(report.items),
        )
        job_discard_files(job_id)
    except Exception as exc:
        log.exception("import %s failed", job_id)
        _update(job_id, only_if=running, state=ImportJob.State.FAILED, error=repr(exc))


def preview_rows(report: ImportReport, *, dry_run: bool) -> list[dict[str, object]]:
    """The preview table; pages imported before show the stored article's title."""
    rows = [preview_row(item) for item in _table_items(report)]
    for row in rows:
        if dry_run and row["outcome"] == Outcome.IMPORTED:
            row["outcome_label"] = "可导入"
    known = {r["duplicate_of"] for r in rows if r["duplicate_of"] and not r["title"]}
    titles = dict(Article.objects.filter(pk__in=known).values_list("pk", "title"))
    for row in rows:
        if not row["title"] and row["duplicate_of"] in titles:
            row["title"] = titles[row["duplicate_of"]]
        if row["outcome"] == Outcome.ALREADY and row["duplicate_of"] is None:
            # The raw page is kept when its article is deleted: say where the article went.
            row["message"] = "已导入过，但稿件已被删除；可在“已删除稿件”中恢复"
    return rows


def _table_items(report: ImportReport) -> list[ItemResult]:
    """The first PREVIEW_ROWS_KEPT items, in order, of which at most FAILURES_SHOWN failures
    (the rest of those are counted by reason and listed in the CSV download)."""
    kept: list[ItemResult] = []
    failures = 0
    for item in report.items:
        if item.outcome == Outcome.FAILED:
            failures += 1
            if failures > FAILURES_SHOWN:
                continue
        kept.append(item)
        if len(kept) == PREVIEW_ROWS_KEPT:
            break
    return kept


def preview_row(item: ItemResult) -> dict[str, object]:
    """One line of the preview table, as JSON."""
    clean = item.clean.as_dict() if item.clean else {}
    return {
        "name": item.name,
        "outcome": item.outcome,
        "outcome_label": OUTCOME_LABELS.get(item.outcome, item.outcome),
        "message": "" if item.outcome == Outcome.IMPORTED else item.message,
        "title": clean.get("title") or "",
        "published": str(clean.get("published") or "").replace("T", " "),
        "source": clean.get("source") or "",
        "site": clean.get("site") or "",
        "district": clean.get("district") or "",
        "authors": clean.get("authors") or [],
        "duplicate_of": item.duplicate_of,
        "review_reasons": clean.get("review_reasons") or [],
        "article_id": item.article_id,
    }


def report_dict(report: ImportReport) -> dict[str, object]:
    """The counts an editor sees after a preview or an import, the first FAILURES_SHOWN
    failures and the count of failures per reason (all failures: ImportFailure rows)."""
    failed = [i for i in report.items if i.outcome == Outcome.FAILED]
    reasons: dict[str, int] = {}
    for item in failed:
        reasons[failure_reason(item.message)] = reasons.get(failure_reason(item.message), 0) + 1
    return {
        "imported": report.imported,
        "duplicates": report.duplicates,
        "needs_review": report.needs_review,
        "failed": report.failed,
        "summary": report.summary(),
        "failures": [{"name": i.name, "message": i.message} for i in failed[:FAILURES_SHOWN]],
        "failure_reasons": sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0])),
    }


def failure_reason(message: str) -> str:
    """A failure's message without its particulars, to count failures by reason.

    "不是有效的 JSON：Expecting value: line 1 column 1 (char 0)" → "不是有效的 JSON";
    "文件过大（超过 20 MB），单个网页不能超过 20 MB" → "文件过大，单个网页不能超过 20 MB".
    """
    return _DETAIL.sub("", message.split("：", 1)[0]).strip()[:200] or "未知原因"


def failures_store(job_id: int, report: ImportReport) -> None:
    """Replace the job's failure rows with this run's (a preview's, then the import's)."""
    rows = (
        ImportFailure(
            job_id=job_id,
            position=position,
            name=item.name[:1000],
            reason=failure_reason(item.message),
            message=item.message,
        )
        for position, item in enumerate(report.items)
        if item.outcome == Outcome.FAILED
    )
    with transaction.atomic():
        ImportFailure.objects.filter(job_id=job_id).delete()
        ImportFailure.objects.bulk_create(rows, batch_size=1000)


def job_confirm(*, job_id: int, user: AbstractBaseUser) -> bool:
    """Start the real import of a previewed job, once: False when it was not waiting."""
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PREVIEWED).update(
        state=ImportJob.State.IMPORTING,
        done=0,
        confirmed_by=user,
        confirmed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if started:
        job_start(job_import, job_id)
    return bool(started)


CANCELLABLE = (ImportJob.State.PREVIEWING, ImportJob.State.PREVIEWED, ImportJob.State.FAILED)


def job_cancel(*, job_id: int, user: AbstractBaseUser) -> bool:
    """Cancel a job not yet imported and delete its uploads: False when it is past that."""
    cancelled = ImportJob.objects.filter(pk=job_id, state__in=CANCELLABLE).update(
        state=ImportJob.State.CANCELLED,
        preview=[],
        cancelled_by=user,
        cancelled_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if cancelled:
        job_discard_files(job_id)
    return bool(cancelled)


def job_resume(*, job: ImportJob) -> bool:
    """Restart a stale job's work (the preview or the import), once: False when someone else
    restarted it first (or it moved on) since `job` was read. Safe: the preview stores nothing,
    the import skips the pages already stored."""
    claimed = ImportJob.objects.filter(pk=job.pk, state=job.state, updated_at=job.updated_at)
    if not claimed.update(updated_at=timezone.now(), done=0):
        return False
    job_start(job_preview if job.state == ImportJob.State.PREVIEWING else job_import, job.pk)
    return True
