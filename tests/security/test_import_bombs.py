"""Compression bombs at every layer are refused, named, quickly and in little memory, by the one
reader that the command line and the admin upload share; GBK zip entry names read as Chinese."""

from __future__ import annotations

import gzip
import io
import os
import random
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from articles.importing.readers import Limits, blob_problem, iter_blob
from articles.models import Article, ImportJob

ROOT = Path(settings.BASE_DIR)
LINE = ('{"title": "炸弹", "body": "' + "厦门" * 100 + '"}\n').encode()
PAGE = (
    "湖里区禾山街道开展垃圾分类志愿服务\n2021-11-13 09:11:07    来源:厦门日报\n"
    "本报讯（记者 林晓东）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。\n"
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场。\n责任编辑:王芳\n"
).encode()


def gzip_bomb(megabytes: int) -> bytes:
    """Valid JSON lines inflating to `megabytes` MB: one 8 MB gzip member repeated."""
    member = gzip.compress(LINE * (8 * 1024 * 1024 // len(LINE)), compresslevel=9)
    return member * (megabytes // 8)


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def nested_bomb() -> bytes:
    """A zip of a .jsonl.gz that inflates to 2 GB: the zip layer looks innocent (ratio ~1)."""
    return zip_of({"feeds/day.jsonl.gz": gzip_bomb(2048)})


GZ_MESSAGE = "gzip 文件解压后超过压缩前的 100 倍，可能是压缩炸弹，已拒绝"
NESTED_MESSAGE = "zip 中的“feeds/day.jsonl.gz”解压后超过压缩前的 100 倍，可能是压缩炸弹，已拒绝"
PAGE_MESSAGE = "zip 中的“big.html”解压后超过压缩前的 100 倍，可能是压缩炸弹，已拒绝"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("feed.jsonl.gz", lambda: gzip_bomb(1024), GZ_MESSAGE),
        ("pages.zip", nested_bomb, NESTED_MESSAGE),
        (
            "pages.zip",
            lambda: zip_of({"big.html": b"<p>" * (300 * 1024 * 1024 // 3)}),
            PAGE_MESSAGE,
        ),
    ],
    ids=["gzip", "gzip-in-zip", "page-in-zip"],
)
def test_every_layer_is_refused_as_one_named_file_in_little_memory(name, make, message):
    data = make()
    tracemalloc.start()
    try:
        items = list(iter_blob(name, data))
        problem = blob_problem(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(i.name, i.error) for i in items] == [(name, message)]
    assert problem == message
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while reading a bomb"


def test_declared_sizes_over_the_cap_refuse_a_zip_before_inflating():
    entries = {f"p{n}.txt": bytes(range(256)) * 4096 for n in range(3)}  # 1 MB each, ratio ~ 1
    limits = Limits(expanded_bytes=2 * 1024 * 1024)
    items = list(iter_blob("many.zip", zip_of(entries), limits=limits))
    assert [(i.name, i.error) for i in items] == [
        ("many.zip", "zip 解压后超过 2.0 MB，可能是压缩炸弹，已拒绝")
    ]


def test_the_running_cap_counts_every_layer_of_one_file():
    # Each gzip entry declares its compressed size; only the running count sees what they hold
    # (both layers: ~0.4 MB of gzip and 0.8 MB of text an entry, so the second passes 2 MB).
    noise = random.Random(7).randbytes(400 * 1024).hex().encode()  # 800 KB, ratio ~ 2
    feed = gzip.compress(b'{"body": "' + noise + b'"}\n')
    entries = {f"d{n}.jsonl.gz": feed for n in range(3)}
    limits = Limits(expanded_bytes=2 * 1024 * 1024)
    items = list(iter_blob("feeds.zip", zip_of(entries), limits=limits))
    assert [(i.name, i.error) for i in items] == [
        ("feeds.zip", "zip 中的“d1.jsonl.gz”解压后超过 2.0 MB，可能是压缩炸弹，已拒绝")
    ]


def test_a_bomb_gives_no_items_before_it_is_found():
    """The first lines of a bomb are valid articles: none may be imported half-way."""
    items = list(iter_blob("feed.jsonl.gz", gzip_bomb(16)))
    assert len(items) == 1 and items[0].error == GZ_MESSAGE


def test_an_honest_feed_in_a_zip_is_read_line_by_line():
    feed = gzip.compress(
        b"".join(LINE.replace("炸弹".encode(), f"第{n}篇".encode()) for n in range(3))
    )
    items = list(iter_blob("in.zip", zip_of({"a/feed.jsonl.gz": feed, "b.txt": PAGE})))
    assert [(i.name, i.error, i.hints.get("title")) for i in items] == [
        ("in.zip:a/feed.jsonl.gz:1", "", "第0篇"),
        ("in.zip:a/feed.jsonl.gz:2", "", "第1篇"),
        ("in.zip:a/feed.jsonl.gz:3", "", "第2篇"),
        ("in.zip:b.txt", "", None),
    ]


def test_a_line_longer_than_a_page_is_one_failed_item_and_reading_goes_on():
    data = b'{"body": "' + b"x" * (2 * 1024 * 1024) + b'"}\n' + LINE
    items = list(iter_blob("feed.jsonl", data, limits=Limits(page_bytes=1024 * 1024)))
    assert [(i.name, i.error) for i in items] == [
        ("feed.jsonl:1", "这一行超过 1 MB"),
        ("feed.jsonl:2", ""),
    ]


def test_a_corrupt_entry_refuses_the_whole_zip_by_name():
    data = bytearray(zip_of({"a.txt": PAGE, "b.txt": PAGE.replace(b"2021", b"2020")}))
    start = data.index(b"b.txt") + len(b"b.txt")  # the first bytes of b.txt's deflate stream
    data[start + 10] ^= 0xFF
    items = list(iter_blob("x.zip", bytes(data)))
    assert len(items) == 1
    assert items[0].error.startswith("zip 中的“b.txt”已损坏，无法解压")


# --- GBK entry names (point 8) -----------------------------------------------------------------


def gbk_zip(entries: dict[str, bytes]) -> bytes:
    """A zip as Windows tools in China write it: names in GBK, no UTF-8 flag.

    zipfile always flags non-ASCII names as UTF-8, so each entry is written under an ASCII
    stand-in of the same byte length, patched afterwards in both headers.
    """
    buffer = io.BytesIO()
    patches = []
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, data) in enumerate(entries.items()):
            gbk = name.encode("gbk")
            stand_in = (chr(ord("A") + number) * (len(gbk) - 4) + ".txt").encode()
            archive.writestr(stand_in.decode(), data)
            patches.append((stand_in, gbk))
    raw = buffer.getvalue()
    for stand_in, gbk in patches:
        assert raw.count(stand_in) == 2
        raw = raw.replace(stand_in, gbk)
    with zipfile.ZipFile(io.BytesIO(raw)) as check:
        assert not any(i.flag_bits & 0x800 for i in check.infolist())
        assert "╨┬" in check.namelist()[0]  # what zipfile alone shows: 新 read as cp437
    return raw


def test_gbk_entry_names_read_as_chinese():
    items = list(
        iter_blob("稿件.zip", gbk_zip({"新闻/湖里区垃圾分类.txt": PAGE, "说明.doc": b"x"}))
    )
    assert [(i.name, i.error) for i in items] == [
        ("稿件.zip:新闻/湖里区垃圾分类.txt", ""),
        ("稿件.zip:说明.doc", "zip 中不支持的文件类型"),
    ]


# --- Through the real entry points -------------------------------------------------------------


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEARCH_URL")}
    env.pop("PORTAL_WHOOSH_PATH", None)
    env.update(PORTAL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="portal.settings.test")
    return env


def _max_rss_mb(data_dir: Path, *args: str) -> tuple[float, str]:
    """Peak RSS (MB) of `manage.py import_articles ARGS` in a fresh process, and its output."""
    script = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(p.stdout + p.stderr)"
    )
    command = [sys.executable, "manage.py", "import_articles", "--workers", "1", *args]
    result = subprocess.run(
        [sys.executable, "-c", script, *command],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    first, _, rest = result.stdout.partition("\n")
    return int(first) / 1024, rest


@pytest.mark.slow
def test_the_command_line_refuses_a_nested_bomb_within_300_mb(tmp_path):
    data_dir = tmp_path / "data"
    (tmp_path / "one.txt").write_bytes(PAGE)
    (tmp_path / "bomb.zip").write_bytes(nested_bomb())
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=_env(data_dir),
        check=True,
        timeout=300,
    )
    baseline, out = _max_rss_mb(data_dir, str(tmp_path / "one.txt"))
    assert "导入 1 篇" in out
    bomb, out = _max_rss_mb(data_dir, str(tmp_path / "bomb.zip"))
    assert f"失败  {tmp_path / 'bomb.zip'}：{NESTED_MESSAGE}" in out
    assert "导入 0 篇，重复 0 篇，待审核 0 篇，失败 1 个" in out
    assert bomb < baseline + 300, f"bomb {bomb:.0f} MB vs baseline {baseline:.0f} MB"


@pytest.mark.django_db
def test_the_admin_refuses_a_nested_bomb_before_storing_it(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PORTAL_IMPORT_SYNC = True
    upload = io.BytesIO(nested_bomb())
    upload.name = "pages.zip"
    tracemalloc.start()
    try:
        response = admin_client.post("/admin/articles/article/import/", {"files": [upload]})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"“pages.zip”：{NESTED_MESSAGE}。本次上传未保存任何内容。" in response.content.decode()
    assert ImportJob.objects.count() == 0 and Article.objects.count() == 0
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").rglob("*.upload"))
    # The upload itself (a few MB) is held in memory; inflating it may add little more.
    assert peak < len(upload.getvalue()) * 3 + 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.django_db
def test_the_admin_upload_shows_gbk_names_in_the_preview(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PORTAL_IMPORT_SYNC = True
    upload = io.BytesIO(gbk_zip({"新闻/湖里区垃圾分类.txt": PAGE}))
    upload.name = "稿件.zip"
    response = admin_client.post(
        "/admin/articles/article/import/", {"files": [upload]}, follow=True
    )
    job = ImportJob.objects.get()
    assert [row["name"] for row in job.preview] == ["稿件.zip:新闻/湖里区垃圾分类.txt"]
    assert "稿件.zip:新闻/湖里区垃圾分类.txt" in response.content.decode()
    admin_client.post(f"/admin/articles/article/import/{job.pk}/confirm/")
    assert Article.objects.get().raw_page.filename == "稿件.zip:新闻/湖里区垃圾分类.txt"
