"""Import by upload in the admin: bad uploads refused, preview stores nothing, confirm stores."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.cleaning import CleanArticle
from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem
from articles.importing.store import clean_problem
from articles.models import Article, ImportBatch, ImportJob, RawPage

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"

BODY_A = [
    "本报讯（记者 林晓东 通讯员 陈丽）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。",
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场，辖区垃圾分类准确率明显提升。",
]
BODY_B = [
    "本报讯（记者 柯雅婷）全国文明城市年度测评即将开展，同安区文明城市创建各项工作进入冲刺阶段。",
    "同安区文明办相关负责人介绍，今年全区列入计划的186条背街小巷整治任务已全部完成。",
]
BODY_C = [
    "海沧讯 8月20日，海沧区新阳街道举行企业用工对接会，二十余家企业带来一千多个岗位。",
    "新阳街道负责人表示，街道将继续做好企业服务，帮助辖区企业解决招工难题。",
]


def page(title: str, body: list[str], date: str, source: str = "厦门日报") -> bytes:
    return "\n".join([title, f"{date}    来源:{source}", *body, "责任编辑:王芳"]).encode("utf-8")


PAGE_A = page("湖里区禾山街道开展垃圾分类志愿服务", BODY_A, "2021-11-13 09:11:07")
PAGE_B = page("同安区迎接全国文明城市复查", BODY_B, "2020-09-15 09:40", "海峡导报")
PAGE_C = page("海沧新阳街道举行用工对接会", BODY_C, "8月20日")


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PORTAL_IMPORT_SYNC = True
    return tmp_path / "uploads"


@pytest.fixture
def editor(db):
    call_command("setup_editors", verbosity=0)
    user = get_user_model().objects.create_user("lin", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post_upload(client: Client, *files: SimpleUploadedFile, year: str = ""):
    return client.post(IMPORT_URL, {"files": list(files), "default_year": year})


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def job_page(client: Client, job: ImportJob) -> str:
    return client.get(reverse("admin:articles_article_import_job", args=[job.pk])).content.decode()


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_import_page_has_the_form_and_the_limit(client, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    html = client.get(IMPORT_URL).content.decode()
    assert 'type="file" name="files"' in html and "multiple" in html
    assert 'name="default_year"' in html
    assert "一次最多上传 50.0 MB" in html


def test_preview_stores_no_article(client, media):
    response = post_upload(client, upload("a.txt", PAGE_A), upload("c.txt", PAGE_C), year="2022")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/import/{job.pk}/"
    assert (job.state, job.total, job.done, job.default_year) == ("previewed", 2, 2, 2022)
    assert stored_files(media) == [f"imports/{job.pk}/001.upload", f"imports/{job.pk}/002.upload"]
    assert (Article.objects.count(), RawPage.objects.count(), ImportBatch.objects.count()) == (
        0,
        0,
        0,
    )
    rows = [
        (r["name"], r["title"], r["published"], r["source"], r["district"], r["authors"])
        for r in job.preview
    ]
    assert rows == [
        (
            "a.txt",
            "湖里区禾山街道开展垃圾分类志愿服务",
            "2021-11-13 09:11:07",
            "厦门日报",
            "湖里区",
            ["记者 林晓东", "通讯员 陈丽"],
        ),
        ("c.txt", "海沧新阳街道举行用工对接会", "2022-08-20", "厦门日报", "海沧区", []),
    ]
    assert [r["outcome_label"] for r in job.preview] == ["可导入", "可导入"]
    html = job_page(client, job)
    assert "可导入 <strong>2</strong> 篇，重复 <strong>0</strong> 篇" in html
    assert "确认导入" in html and "取消" in html
    assert "湖里区禾山街道开展垃圾分类志愿服务" in html and "记者 林晓东、通讯员 陈丽" in html


def test_status_endpoint(client):
    post_upload(client, upload("a.txt", PAGE_A))
    job = ImportJob.objects.get()
    status = client.get(reverse("admin:articles_article_import_status", args=[job.pk])).json()
    assert status == {
        "state": "previewed",
        "state_label": "待确认",
        "done": 1,
        "total": 1,
        "running": False,
    }


def test_confirm_stores_all_and_reports_failures(client, media, editor):
    feed = (
        json.dumps(
            {
                "title": "同安区迎接全国文明城市复查",
                "body": "\n".join(BODY_B),
                "published": "2020-09-15",
                "source": "海峡导报",
            },
            ensure_ascii=False,
        )
        + "\n{broken json\n"
    ).encode("utf-8")
    archive = zip_of(
        {
            "pages/a.html": b"<html><body><h1>x</h1></body></html>",
            "pages/c.txt": PAGE_C,
            "notes.doc": b"x",
        }
    )
    post_upload(
        client,
        upload("a.txt", PAGE_A),
        upload("feed.jsonl", feed),
        upload("pages.zip", archive),
        year="2022",
    )
    job = ImportJob.objects.get()
    assert Article.objects.count() == 0
    response = client.post(reverse("admin:articles_article_import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "done"
    assert job.report["summary"] == "导入 3 篇，重复 0 篇，待审核 0 篇，失败 3 个"
    assert job.report["failures"] == [
        {"name": "feed.jsonl:2", "message": job.report["failures"][0]["message"]},
        {"name": "pages.zip:notes.doc", "message": "zip 中不支持的文件类型"},
        {"name": "pages.zip:pages/a.html", "message": clean_problem(CleanArticle("x", ()))},
    ]
    assert job.report["failures"][0]["message"].startswith("不是有效的 JSON")
    assert [r["outcome_label"] for r in job.preview] == [
        "已导入",
        "已导入",
        "失败",
        "失败",
        "失败",
        "已导入",
    ]
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "同安区迎接全国文明城市复查",
        "海沧新阳街道举行用工对接会",
        "湖里区禾山街道开展垃圾分类志愿服务",
    ]
    batch = ImportBatch.objects.get()
    assert (job.batch, batch.created_by, batch.imported, batch.failed) == (batch, editor, 3, 3)
    assert stored_files(media) == []  # the uploads are gone once the pages are in the database
    html = job_page(client, job)
    assert "<strong>3</strong> 篇已导入" in html
    assert "<strong>pages.zip:notes.doc</strong>：zip 中不支持的文件类型" in html
    assert f"?import_batch__id__exact={batch.pk}" in html
    listed = client.get(f"/admin/articles/article/?import_batch__id__exact={batch.pk}")
    assert len(listed.context["cl"].result_list) == 3


def test_confirm_twice_imports_once(client):
    post_upload(client, upload("a.txt", PAGE_A))
    job = ImportJob.objects.get()
    confirm = reverse("admin:articles_article_import_confirm", args=[job.pk])
    client.post(confirm)
    response = client.post(confirm, follow=True)
    assert "这个导入已经开始、完成或取消，不能再次确认。" in response.content.decode()
    assert (Article.objects.count(), ImportBatch.objects.count()) == (1, 1)


def test_preview_shows_duplicates_of_stored_articles(client):
    existing = (
        articles_import_batch(items=[RawItem(name="old.txt", raw=PAGE_A)]).items[0].article_id
    )
    repost = page("湖里区禾山街道开展垃圾分类志愿服务", BODY_A, "2021-11-13 10:00", "东南网")
    post_upload(client, upload("repost.txt", repost), upload("again.txt", PAGE_A))
    job = ImportJob.objects.get()
    assert [(r["outcome"], r["duplicate_of"]) for r in job.preview] == [
        ("duplicate", existing),
        ("already", existing),
    ]
    html = job_page(client, job)
    assert f'<a href="/admin/articles/article/{existing}/change/">#{existing}</a>' in html
    assert 'disabled title="没有可导入的稿件"' in html


def test_cancel_deletes_uploads_and_stores_nothing(client, media):
    post_upload(client, upload("a.txt", PAGE_A))
    job = ImportJob.objects.get()
    response = client.post(
        reverse("admin:articles_article_import_cancel", args=[job.pk]), follow=True
    )
    assert (
        f"已取消导入 #{job.pk}，上传的文件已删除，没有保存任何稿件。" in response.content.decode()
    )
    job.refresh_from_db()
    assert job.state == "cancelled"
    assert stored_files(media) == []
    assert Article.objects.count() == 0
    confirm = client.post(reverse("admin:articles_article_import_confirm", args=[job.pk]))
    assert confirm.status_code == 302
    assert Article.objects.count() == 0


BAD_UPLOADS = [
    ("empty.txt", b"", "“empty.txt”：文件是空的。本次上传未保存任何内容。"),
    ("blank.html", b"  \n \n", "“blank.html”：文件是空的。"),
    (
        "photo.jpg",
        b"\xff\xd8\xff\xe0JFIF",
        "“photo.jpg”：不支持的文件类型“.jpg”（可导入 txt、html、zip、jsonl、jsonl.gz）",
    ),
    ("noext", b"hello", "“noext”：不支持的文件类型“无扩展名”"),
    (
        "binary.txt",
        b"\x00\x01\x02PK\x00\x00" * 100,
        "“binary.txt”：不是文本或网页文件（二进制内容）",
    ),
    (
        "broken.zip",
        b"PK\x03\x04 this is not really a zip",
        "“broken.zip”：zip 文件已损坏，无法打开",
    ),
    (
        "evil.zip",
        zip_of({"../../etc/passwd.txt": PAGE_A}),
        "“evil.zip”：zip 中有不安全的路径“../../etc/passwd.txt”，已拒绝",
    ),
    (
        "docs.zip",
        zip_of({"a.doc": b"x"}),
        "“docs.zip”：zip 中没有可导入的文件（txt、html 或 jsonl）",
    ),
    ("feed.jsonl", b"not json at all\n", "“feed.jsonl”：第 1 行不是有效的 JSON"),
    ("feed.jsonl.gz", b"\x1f\x8b\x08\x00broken", "“feed.jsonl.gz”：gzip 文件已损坏，无法解压"),
    (
        "garbage.txt",
        bytes((i * 37 + 11) % 255 + 1 for i in range(4000)),
        "“garbage.txt”：无法识别文件的编码（有 373 处无法解码的字节）",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_is_refused_with_a_clear_message(client, media, name, data, message):
    response = post_upload(client, upload("good.txt", PAGE_A), upload(name, data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert stored_files(media) == []


def test_zip_bomb_is_refused(client, media):
    bomb = zip_of({"bomb.txt": b"0" * (600 * 1024 * 1024 // 100)})  # small, to stay fast …
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.infolist()[0]
    # … then patch the declared size in both headers to 600 MB, as a bomb declares.
    patched = bytearray(bomb)
    big = (600 * 1024 * 1024).to_bytes(4, "little")
    patched[22:26] = big  # local header: uncompressed size
    central = bomb.rindex(b"PK\x01\x02")
    patched[central + 24 : central + 28] = big
    assert info.file_size == 600 * 1024 * 1024 // 100
    response = post_upload(client, upload("bomb.zip", bytes(patched)))
    assert (
        "“bomb.zip”：zip 中的“bomb.txt”解压后超过压缩前的 100 倍，可能是压缩炸弹，已拒绝"
        in response.content.decode()
    )
    assert ImportJob.objects.count() == 0


def test_partly_broken_encoding_is_previewed_for_review(client):
    text = PAGE_B.decode("utf-8").encode("gb18030")
    broken = text[:-20] + b"\xff" + text[-20:]
    post_upload(client, upload("gbk.txt", broken))
    row = ImportJob.objects.get().preview[0]
    assert (row["title"], row["outcome"]) == ("同安区迎接全国文明城市复查", "imported")
    assert "编码有误" in row["review_reasons"]


def test_too_large_upload_is_refused_before_it_is_stored(client, media, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 64 * 1024
    big = PAGE_A + b"\n" + "厦门".encode() * 40_000  # 240 KB
    response = post_upload(client, upload("big.txt", big))
    html = response.content.decode()
    assert response.status_code == 200
    assert "上传的文件太大（" in html and "一次最多 0.1 MB" in html
    assert ImportJob.objects.count() == 0
    assert stored_files(media) == []


def test_gzipped_jsonl_upload(client):
    line = json.dumps(
        {
            "title": "海沧新阳街道举行用工对接会",
            "body": "\n".join(BODY_C),
            "published": "2022-08-20",
        },
        ensure_ascii=False,
    )
    post_upload(client, upload("feed.jsonl.gz", gzip.compress(line.encode())))
    rows = ImportJob.objects.get().preview
    assert [(r["name"], r["title"], r["published"]) for r in rows] == [
        ("feed.jsonl.gz:1", "海沧新阳街道举行用工对接会", "2022-08-20")
    ]


def test_editor_without_import_permission_cannot_upload(db):
    user = get_user_model().objects.create_user("viewer", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_background_thread_runs_preview_and_import(client, settings):
    settings.PORTAL_IMPORT_SYNC = False
    post_upload(client, upload("a.txt", PAGE_A), upload("b.txt", PAGE_B))
    job = ImportJob.objects.get()
    status_url = reverse("admin:articles_article_import_status", args=[job.pk])
    assert wait_for(client, status_url, "previewed")["total"] == 2
    assert Article.objects.count() == 0
    client.post(reverse("admin:articles_article_import_confirm", args=[job.pk]))
    assert wait_for(client, status_url, "done")["done"] == 2
    assert Article.objects.count() == 2


def wait_for(client: Client, url: str, state: str, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    status: dict = {}
    while time.monotonic() < deadline:
        try:
            status = client.get(url).json()
        except OperationalError:  # the in-memory test database locks whole tables
            time.sleep(0.1)
            continue
        if status["state"] == state:
            return status
        assert status["state"] != "failed"
        time.sleep(0.1)
    raise AssertionError(f"job not {state} after {seconds} s: {status}")


def test_stale_job_can_be_resumed(client, media):
    post_upload(client, upload("a.txt", PAGE_A))
    job = ImportJob.objects.get()
    resume = reverse("admin:articles_article_import_resume", args=[job.pk])
    # As if the server restarted while the import thread ran.
    ImportJob.objects.filter(pk=job.pk).update(
        state="importing", updated_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert "已有一段时间没有进展" in job_page(client, job)
    response = client.post(resume, follow=True)
    assert "已重新开始；已导入的网页不会重复导入。" in response.content.decode()
    job.refresh_from_db()
    assert (job.state, job.report["imported"]) == ("done", 1)
    response = client.post(resume, follow=True)
    assert "这个导入没有停滞，不需要重新开始。" in response.content.decode()
    assert Article.objects.count() == 1


def test_upload_and_confirm_need_the_csrf_token(editor, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"files": [upload("a.txt", PAGE_A)]})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
    html = client.get(IMPORT_URL).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        IMPORT_URL, {"csrfmiddlewaretoken": token, "files": [upload("a.txt", PAGE_A)]}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    confirm = reverse("admin:articles_article_import_confirm", args=[job.pk])
    assert client.post(confirm).status_code == 403
    assert Article.objects.count() == 0


def test_unconfirmed_previews_expire_after_a_week(client, media):
    post_upload(client, upload("a.txt", PAGE_A))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(days=8))
    assert stored_files(media) == [f"imports/{job.pk}/001.upload"]
    client.get(IMPORT_URL)
    job.refresh_from_db()
    assert job.state == "cancelled"
    assert stored_files(media) == []


def test_preview_of_a_page_whose_article_was_deleted_points_to_restore(client):
    existing = articles_import_batch(items=[RawItem(name="old.txt", raw=PAGE_A)]).items[0]
    Article.objects.filter(pk=existing.article_id).delete()
    post_upload(client, upload("again.txt", PAGE_A))
    row = ImportJob.objects.get().preview[0]
    assert (row["outcome_label"], row["message"]) == (
        "已导入过",
        "已导入过，但稿件已被删除；可在“已删除稿件”中恢复",
    )


def test_fifty_megabyte_upload_is_refused_at_the_real_limit(client, media):
    """The default limit (50 MB): a scraper's 50 MB dump plus the page beside it stores nothing."""
    big = PAGE_A + b"\n" + "厦门新闻".encode() * (50 * 1024 * 1024 // 12 + 1)  # just over 50 MB
    response = post_upload(client, upload("good.txt", PAGE_B), upload("dump.txt", big))
    html = response.content.decode()
    assert response.status_code == 200
    assert "上传的文件太大（" in html and "一次最多 50.0 MB" in html
    assert ImportJob.objects.count() == 0
    assert Article.objects.count() == 0
    assert stored_files(media) == []


# --- The stored file name of command-line imports ---------------------------------------------


def test_demo_items_are_named_relative_to_the_project():
    from articles.management.commands.load_demo import DEMO_DIR, demo_items

    names = [item.name for item in demo_items(DEMO_DIR)]
    assert "demo/articles/yundanghu-zhengzhi.txt" in names
    assert "demo/articles/feed.jsonl:1" in names
    assert all(name.startswith("demo/articles/") for name in names), names


def test_load_demo_stores_the_name_relative_to_the_folder(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.txt").write_bytes(PAGE_A)
    call_command("load_demo", path=str(folder), stdout=io.StringIO())
    article = Article.objects.select_related("raw_page").get()
    assert article.raw_page.filename == "pages/story.txt"


def test_load_demo_has_a_day_with_reports_from_three_outlets():
    from articles.selectors import articles_same_day_other_outlets

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Article.objects.count() == 43, out.getvalue()
    names = set(RawPage.objects.values_list("filename", flat=True))
    assert "demo/articles/haicang-suidao-guantong.txt" in names
    assert not [n for n in names if not n.startswith("demo/articles/")]
    news = Article.objects.get(title="海沧隧道左线全线贯通 预计年内建成通车")
    assert news.published_date == dt.date(2021, 3, 12)
    same_day = articles_same_day_other_outlets(article=news)
    assert [(a.source.name, a.title) for a in same_day] == [
        ("厦门网", "海沧隧道左线贯通 通车后海沧至岛内拟新开调整8条公交线路"),
        ("海峡导报", "海沧隧道左线贯通背后 建设者在海底70米深处坚守四百多个日夜"),
    ]
    html = Client().get(f"/articles/{news.pk}/").content.decode()
    section = html[html.index("同日其他媒体报道") :]
    assert "建设者在海底70米深处坚守四百多个日夜" in section
