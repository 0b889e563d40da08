"""Uploads have owners and an audit trail (issue 20.6); huge failure lists stay usable (20.7)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client

from articles.models import Article, ImportBatch, ImportFailure, ImportJob

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
PAGE = (
    "湖里区禾山街道开展垃圾分类志愿服务\n2021-11-13 09:11:07    来源:厦门日报\n"
    "本报讯（记者 林晓东）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。\n"
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场。\n责任编辑:王芳\n"
).encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PORTAL_IMPORT_SYNC = True


def editor_client(username: str, *extra_perms: str) -> Client:
    call_command("setup_editors", verbosity=0)
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    for codename in extra_perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def upload_file(client: Client, name: str, data: bytes) -> ImportJob:
    handle = io.BytesIO(data)
    handle.name = name
    response = client.post(IMPORT_URL, {"files": [handle]})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def test_another_editor_can_neither_confirm_nor_cancel_my_upload():
    lin = editor_client("lin")
    chen = editor_client("chen")
    job = upload_file(lin, "story.txt", PAGE)
    assert job.state == ImportJob.State.PREVIEWED
    page = chen.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert (
        "这是 lin 的上传：只有上传者或有“可确认或取消他人上传的导入”权限的编辑可以确认或取消。"
        in page
    )
    assert "确认导入" not in page.split('id="job-not-yours"')[1]
    assert chen.post(f"{IMPORT_URL}{job.pk}/confirm/").status_code == 403
    assert chen.post(f"{IMPORT_URL}{job.pk}/cancel/").status_code == 403
    job.refresh_from_db()
    assert (job.state, job.confirmed_by, job.cancelled_by) == ("previewed", None, None)
    assert Article.objects.count() == 0


def test_confirming_someone_elses_upload_needs_its_permission_and_is_recorded():
    lin = editor_client("lin")
    wang = editor_client("wang", "manage_others_importjob")
    job = upload_file(lin, "story.txt", PAGE)
    assert wang.post(f"{IMPORT_URL}{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert (job.created_by.username, job.confirmed_by.username) == ("lin", "wang")
    assert job.confirmed_at is not None and job.confirmed_at >= job.created_at
    batch = ImportBatch.objects.get()
    assert batch.created_by.username == "wang"
    assert batch.label.startswith(f"上传 #{job.pk}（lin 上传）：story.txt")
    article = Article.objects.get()
    assert [r.history_user.username for r in article.history.all()] == ["wang"]
    page = lin.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    audit = page.split('id="job-audit"')[1].split("</dl>")[0]
    assert f"<dt>上传</dt><dd>lin · {job.created_at.astimezone().strftime('%Y-%m-%d')}" in audit
    assert "<dt>确认导入</dt><dd>wang · " in audit


def test_the_uploader_confirms_and_history_names_them():
    lin = editor_client("lin")
    job = upload_file(lin, "story.txt", PAGE)
    lin.post(f"{IMPORT_URL}{job.pk}/confirm/")
    article = Article.objects.get()
    assert [r.history_user.username for r in article.history.all()] == ["lin"]
    assert ImportBatch.objects.get().created_by.username == "lin"


def test_a_cancel_is_recorded_with_who_and_when():
    lin = editor_client("lin")
    job = upload_file(lin, "story.txt", PAGE)
    assert lin.post(f"{IMPORT_URL}{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert (job.state, job.cancelled_by.username) == ("cancelled", "lin")
    page = lin.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "<dt>取消</dt><dd>lin · " in page


def test_the_permission_is_not_in_the_editor_group():
    call_command("setup_editors", verbosity=0)
    codenames = Group.objects.get(name="editor").permissions.values_list("codename", flat=True)
    assert "manage_others_importjob" not in codenames


# --- 20,000 failures ---------------------------------------------------------------------------


def many_failures_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0000-good.txt", PAGE)
        for n in range(15_000):
            archive.writestr(f"empty/{n:05d}.txt", b"")
        for n in range(4_999):
            archive.writestr(f"docs/{n:05d}.doc", b"x")
        archive.writestr("zz.doc", b"x")
    return buffer.getvalue()


@pytest.mark.slow
def test_twenty_thousand_failures_keep_the_job_page_and_row_small():
    lin = editor_client("lin")
    job = upload_file(lin, "many.zip", many_failures_zip())
    job.refresh_from_db()
    assert (job.state, job.total) == ("previewed", 20_001)
    assert job.report["failed"] == 20_000
    assert job.report["failure_reasons"] == [
        ["文件是空的", 15_000],
        ["zip 中不支持的文件类型", 5_000],
    ]
    assert len(job.report["failures"]) == 200
    stored = ImportJob.objects.filter(pk=job.pk).values_list("preview", "report").get()
    row_bytes = sum(len(json.dumps(value, ensure_ascii=False).encode()) for value in stored)
    assert row_bytes < 400_000, f"job row holds {row_bytes} bytes of JSON"
    assert ImportFailure.objects.filter(job=job).count() == 20_000

    response = lin.get(f"{IMPORT_URL}{job.pk}/")
    page = response.content.decode()
    assert len(response.content) < 600_000, f"job page is {len(response.content)} bytes"
    assert "<h2>失败的文件（20000）</h2>" in page
    assert '<tr><td>文件是空的</td><td class="num">15000</td></tr>' in page
    assert "<summary>前 200 个失败项</summary>" in page
    assert page.count("<li><strong>many.zip:") == 200
    assert "另有 19800 条未显示。" in page  # 20,001 items: 1 imported and 200 failed shown

    csv_response = lin.get(f"{IMPORT_URL}{job.pk}/failures.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff文件,原因,说明\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 20_001
    assert rows[1] == [
        "many.zip:docs/00000.doc",
        "zip 中不支持的文件类型",
        "zip 中不支持的文件类型",
    ]
    assert rows[-1] == ["many.zip:zz.doc", "zip 中不支持的文件类型", "zip 中不支持的文件类型"]


@pytest.mark.slow
def test_the_failures_csv_needs_the_view_permission():
    lin = editor_client("lin")
    job = upload_file(lin, "many.zip", many_failures_zip())
    reader = get_user_model().objects.create_user("reader", password="pw", is_staff=True)
    client = Client()
    client.force_login(reader)
    assert client.get(f"{IMPORT_URL}{job.pk}/failures.csv").status_code == 403
    assert json.loads(json.dumps(job.report))["failed"] == 20_000


def test_a_name_that_looks_like_a_formula_is_text_in_the_csv():
    lin = editor_client("lin")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", PAGE)
        archive.writestr("b.doc", b"x")
    job = upload_file(lin, "=HYPERLINK(1).zip", buffer.getvalue())
    text = b"".join(lin.get(f"{IMPORT_URL}{job.pk}/failures.csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["文件", "原因", "说明"],
        ["'=HYPERLINK(1).zip:b.doc", "zip 中不支持的文件类型", "zip 中不支持的文件类型"],
    ]
