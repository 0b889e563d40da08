"""Upload imports run in the background: a dry-run preview first, the real import on confirm.

The request that starts a job returns at once; a thread does the work and writes its progress
to the ImportJob row, which the preview page polls. settings.PORTAL_IMPORT_SYNC = True runs the
work in the calling thread instead (tests).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connections
from django.utils import timezone

from articles.models import Article, ImportJob
from articles.readers import RawItem, iter_blob
from articles.services import ImportReport, ItemResult, Outcome, articles_import_batch

log = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
UPDATE_ATTEMPTS = 5
OUTCOME_LABELS = {
    Outcome.IMPORTED: "已导入",
    Outcome.DUPLICATE: "重复",
    Outcome.ALREADY: "已导入过",
    Outcome.FAILED: "失败",
}


def job_dir(job_id: int) -> Path:
    """Where a job's uploads are kept until it is imported or cancelled."""
    return Path(settings.MEDIA_ROOT) / "imports" / str(job_id)


def job_items(job: ImportJob) -> list[RawItem]:
    """The raw items in a job's stored files, in upload order."""
    items: list[RawItem] = []
    for entry in job.files:
        data = (job_dir(job.pk) / entry["stored"]).read_bytes()
        items.extend(iter_blob(entry["name"], data))
    return items


def job_discard_files(job_id: int) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


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
        items = job_items(job)
        _update(job_id, total=len(items), done=0)
        report = articles_import_batch(
            items=items, default_year=job.default_year, dry_run=True, on_item=_Progress(job_id)
        )
        _update(
            job_id,
            only_if=running,
            state=ImportJob.State.PREVIEWED,
            preview=preview_rows(report, dry_run=True),
            report=report_dict(report),
            done=len(items),
        )
    except Exception as exc:
        log.exception("import preview %s failed", job_id)
        _update(job_id, only_if=running, state=ImportJob.State.FAILED, error=repr(exc))


def job_import(job_id: int) -> None:
    """The real import of a previewed job; its uploads are deleted once the pages are stored."""
    running = ImportJob.State.IMPORTING
    try:
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        items = job_items(job)
        _update(job_id, total=len(items), done=0)
        report = articles_import_batch(
            items=items,
            default_year=job.default_year,
            user=job.created_by,
            label=f"上传 #{job.pk}：" + "、".join(f["name"] for f in job.files)[:180],
            on_item=_Progress(job_id),
        )
        _update(
            job_id,
            only_if=running,
            state=ImportJob.State.DONE,
            preview=preview_rows(report, dry_run=False),
            report=report_dict(report),
            batch_id=report.batch_id,
            done=len(items),
        )
        job_discard_files(job_id)
    except Exception as exc:
        log.exception("import %s failed", job_id)
        _update(job_id, only_if=running, state=ImportJob.State.FAILED, error=repr(exc))


def preview_rows(report: ImportReport, *, dry_run: bool) -> list[dict[str, object]]:
    """The preview table; pages imported before show the stored article's title."""
    rows = [preview_row(item) for item in report.items]
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
    """The counts an editor sees after a preview or an import, with every failure's reason."""
    return {
        "imported": report.imported,
        "duplicates": report.duplicates,
        "needs_review": report.needs_review,
        "failed": report.failed,
        "summary": report.summary(),
        "failures": [
            {"name": i.name, "message": i.message}
            for i in report.items
            if i.outcome == Outcome.FAILED
        ],
    }
