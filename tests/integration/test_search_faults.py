"""Faults: an import and a re-index killed with SIGKILL midway, a held index lock while an
editor saves, a failing index write. Nothing is lost; the database and the index agree again.

The kill tests run manage.py in subprocesses on their own SQLite file and index (a data dir in
tmp_path), so they never touch the test database or the developer's data.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from search import indexing
from search.models import PendingIndexUpdate

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES = 200
DISTRICTS = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEARCH_URL")}
    env.pop("PORTAL_WHOOSH_PATH", None)
    env.update(PORTAL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="portal.settings.test")
    return env


def manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(data_dir),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: kill() takes its workers too
    )


def count(data_dir: Path, sql: str) -> int:
    with sqlite3.connect(data_dir / "db.sqlite3", timeout=20) as db:
        return int(db.execute(sql).fetchone()[0])


def write_pages(folder: Path, n: int = PAGES) -> None:
    folder.mkdir()
    for i in range(n):
        district = DISTRICTS[i % 6]
        lines = [
            f"{district}第{i}号社区开展垃圾分类志愿服务活动",
            f"2021-11-{i % 28 + 1:02d} 09:11:07    来源:厦门日报",
            f"本报讯（记者 林晓东）{district}第{i}号社区开展垃圾分类志愿服务活动，"
            "四十余名志愿者走进小区，向居民讲解分类知识。",
            f"社区负责人介绍，今年以来已组织志愿服务活动{i}场，辖区垃圾分类准确率明显提升。",
            "责任编辑:王芳",
        ]
        (folder / f"p{i:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def kill(proc: subprocess.Popen[str]) -> None:
    """kill -9 the command and any worker processes it started."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def no_half_articles(data_dir: Path) -> None:
    """Every article has its raw page and every raw page its article (imports only)."""
    articles = count(data_dir, "select count(*) from articles_article")
    assert count(data_dir, "select count(*) from articles_rawpage") == articles
    assert count(data_dir, "select count(*) from articles_article where raw_page_id is null") == 0
    orphan_pages = (
        "select count(*) from articles_rawpage r "
        "where not exists (select 1 from articles_article a where a.raw_page_id = r.id)"
    )
    assert count(data_dir, orphan_pages) == 0


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("migrated")
    result = manage(data, "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture(scope="module")
def imported(migrated, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("imported") / "data"
    shutil.copytree(migrated, data)
    pages = tmp_path_factory.mktemp("pages") / "pages"
    write_pages(pages)
    result = manage(data, "import_articles", str(pages))
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def site(migrated, tmp_path) -> Path:
    """A data dir with a migrated, empty database of its own."""
    data = tmp_path / "data"
    shutil.copytree(migrated, data)
    write_pages(tmp_path / "pages")
    return data


@pytest.fixture
def full_site(imported, tmp_path) -> Path:
    """A data dir of its own with the PAGES articles imported and indexed."""
    data = tmp_path / "data"
    shutil.copytree(imported, data)
    return data


@pytest.mark.slow
def test_import_killed_midway_then_run_again(site, tmp_path):
    pages = str(tmp_path / "pages")
    proc = start(site, "import_articles", pages)
    wait_until(lambda: count(site, "select count(*) from articles_article") >= 40)
    kill(proc)
    done = count(site, "select count(*) from articles_article")
    assert 40 <= done < PAGES
    no_half_articles(site)
    # Every stored article is queued for the index, in its own transaction.
    assert count(site, "select count(distinct article_id) from search_pendingindexupdate") == done

    # Not yet indexed (search_check would apply the queue first: tests/security/).
    assert count(site, "select count(*) from articles_importbatch where finished_at is null") == 1

    again = manage(site, "import_articles", pages)
    assert again.returncode == 0, again.stderr
    assert f"导入 {PAGES - done} 篇，重复 {done} 篇" in again.stdout
    no_half_articles(site)
    assert count(site, "select count(*) from articles_article") == PAGES
    assert count(site, "select count(*) from search_pendingindexupdate") == 0
    check = manage(site, "search_check")
    assert check.returncode == 0, check.stdout
    assert (
        f"数据库 {PAGES} 篇已发布，索引 {PAGES} 篇；缺失 0，过期 0，多余 0；排队 0 条"
        in check.stdout
    )


def _index_locked(data_dir: Path) -> bool:
    from whoosh.util.filelock import FileLock

    lock = FileLock(str(data_dir / "whoosh" / "MAIN_WRITELOCK"))
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True


@pytest.mark.slow
def test_reindex_killed_midway_then_run_again(full_site):
    site = full_site
    # Changes the index has not seen (SQL sends no signal): 20 hidden, 34 edited.
    with sqlite3.connect(site / "db.sqlite3") as db:
        db.execute("update articles_article set status = 'hidden' where id % 10 = 0")
        db.execute("update articles_article set title = title || '（更正）' where id % 6 = 1")
    expected = "数据库 180 篇已发布，索引 200 篇；缺失 0，过期 34，多余 20"
    assert expected in manage(site, "search_check").stdout

    proc = start(site, "reindex_articles", "--batch-size", "20")
    wait_until(lambda: _index_locked(site))
    # Killed as soon as it holds the writer: it commits once, at the end, after preparing
    # and analysing 180 articles (about a second).
    assert proc.poll() is None, "the re-index finished before it could be killed"
    kill(proc)
    assert not _index_locked(site)
    check = manage(site, "search_check")
    assert check.returncode == 1
    assert expected in check.stdout  # the old index, untouched: one commit or nothing

    again = manage(site, "reindex_articles")
    assert again.returncode == 0, again.stderr
    assert "已索引 180 篇稿件" in again.stdout
    check = manage(site, "search_check")
    assert check.returncode == 0, check.stdout
    assert "数据库 180 篇已发布，索引 180 篇；缺失 0，过期 0，多余 0" in check.stdout


EDITOR_SAVE = """
import sys, time
from articles.models import Article
from articles.services import article_correct
from search import indexing
article = Article.objects.get(pk=2)
print("ready", flush=True)
sys.stdin.readline()
started = time.monotonic()
article_correct(article=article, changes={"title": "鹭岛新闻更正稿"}, user=None)
print(indexing.pending_count(), time.monotonic() - started < 5, flush=True)
"""


@pytest.mark.slow
def test_editor_saves_while_a_reindex_holds_the_lock(full_site):
    """The save does not wait for the re-index; the re-index applies it before it ends."""
    editor = start(full_site, "shell", "--no-imports", "-c", EDITOR_SAVE)
    assert editor.stdout.readline() == "ready\n"
    reindex = start(full_site, "reindex_articles")
    wait_until(lambda: _index_locked(full_site))
    out, err = editor.communicate("\n", timeout=60)
    assert out == "1 True\n", err  # saved at once, queued
    assert reindex.poll() is None, "the re-index finished before the editor saved"
    out, err = reindex.communicate(timeout=120)
    assert reindex.returncode == 0, err
    assert count(full_site, "select count(*) from search_pendingindexupdate") == 0
    check = manage(full_site, "search_check")
    assert check.returncode == 0, check.stdout  # the digest has the editor's title


# --- A held lock and a failing write while an editor saves ------------------------------------

HOLD_LOCK = """
import sys
from whoosh import index
writer = index.open_dir(sys.argv[1]).writer()
print("locked", flush=True)
sys.stdin.read()
writer.cancel()
"""


def titles(q: str) -> list[str]:
    from search.query import SearchParams, search_articles

    return [hit.title for hit in search_articles(SearchParams(q=q)).hits]


def total(q: str) -> int:
    from search.query import SearchParams, search_articles

    return search_articles(SearchParams(q=q)).total


def _story() -> Article:
    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import RawItem
    from tests.integration.test_admin import STORY_BODY, page

    raw = page("湖里区禾山街道开展垃圾分类志愿服务", STORY_BODY)
    report = articles_import_batch(items=[RawItem(name="story.txt", raw=raw)])
    return Article.objects.get(pk=report.items[0].article_id)


def _edit_title(admin_client, article: Article, title: str) -> int:
    from tests.integration.test_admin import change_url, form_data

    data = form_data(admin_client, article, title=title)
    return admin_client.post(change_url(article), data).status_code


@pytest.mark.django_db(transaction=True)
def test_save_while_another_process_holds_the_lock(search_index, admin_client, settings, caplog):
    settings.SEARCH_PENDING_RETRY_SECONDS = 20
    story = _story()
    assert titles("禾山街道") == ["湖里区禾山街道开展垃圾分类志愿服务"]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, search_index],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        assert _edit_title(admin_client, story, "禾山街道鹭岛志愿服务") == 302
        assert time.monotonic() - started < 10  # did not wait out the 60 s lock timeout
        assert Article.objects.get(pk=story.pk).title == "禾山街道鹭岛志愿服务"
        assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [story.pk]
        assert "search index busy: the queued updates wait for its writer" in caplog.text
        assert titles("鹭岛") == []  # not yet
    finally:
        holder.communicate("", timeout=30)
    assert indexing.wait_for_retry(timeout=30)  # the retry thread applies it once free
    assert PendingIndexUpdate.objects.count() == 0
    assert titles("鹭岛") == ["禾山街道鹭岛志愿服务"]


@pytest.mark.django_db
def test_failed_index_write_is_logged_queued_and_applied_later(
    search_index, admin_client, settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    from search.engine.whoosh import index as whoosh_index

    settings.SEARCH_PENDING_RETRY_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        story = _story()
    real_write = whoosh_index.write_batches

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(whoosh_index, "write_batches", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert _edit_title(admin_client, story, "禾山街道鹭岛志愿服务") == 302
    row = PendingIndexUpdate.objects.get()
    assert (row.article_id, row.attempts) == (story.pk, 1)
    assert row.last_error == "OSError: [Errno 28] No space left on device"
    assert f"search index write failed; articles [{story.pk}] stay queued" in caplog.text
    assert titles("鹭岛") == []

    monkeypatch.setattr(whoosh_index, "write_batches", real_write)
    call_command("index_pending")
    assert PendingIndexUpdate.objects.count() == 0
    assert titles("鹭岛") == ["禾山街道鹭岛志愿服务"]


@pytest.mark.django_db
def test_next_successful_write_applies_what_was_queued(
    search_index, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from articles.services import article_correct
    from search.engine.whoosh import index as whoosh_index

    settings.SEARCH_PENDING_RETRY_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        story = _story()
    real_write = whoosh_index.write_batches
    monkeypatch.setattr(whoosh_index, "write_batches", lambda *a, **k: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(article=story, changes={"status": "hidden"}, user=None)
    assert total("禾山街道") == 1  # still in the index
    monkeypatch.setattr(whoosh_index, "write_batches", real_write)
    with django_capture_on_commit_callbacks(execute=True):
        other = Article.objects.create(
            title="思明区新开一座书店", body="书店。", fingerprint="fp-x"
        )
    assert total("禾山街道") == 0  # the other article's write applied the queued hide
    assert titles("书店") == [other.title]
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_article_the_later_state_wins(search_index, settings, monkeypatch):
    """A writer that read the article before an editor's save cannot overwrite the save's
    state in the index: the save finds the writers' turn taken, stays queued, and the first
    writer applies it after its own write."""
    import threading

    from django.db import connection

    from articles.services import article_correct
    from search.engine.whoosh import engine as whoosh_engine

    settings.SEARCH_PENDING_RETRY_SECONDS = 0
    story = _story()
    prepared, go = threading.Event(), threading.Event()
    real_prepare = whoosh_engine.prepare

    def slow_prepare(ids):
        result = real_prepare(ids)
        if threading.current_thread() is not threading.main_thread():
            prepared.set()
            go.wait(10)
        return result

    monkeypatch.setattr(whoosh_engine, "prepare", slow_prepare)
    Article.objects.filter(pk=story.pk).update(title="鹭岛海湾公园")  # no signal
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            indexing.index_articles([story.pk])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert prepared.wait(10)  # it has read 鹭岛海湾公园 and not written it yet
        article = Article.objects.get(pk=story.pk)
        article_correct(article=article, changes={"title": "鹭岛植物园"}, user=None)
        assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [story.pk]
    finally:
        go.set()
        thread.join(30)
    assert errors == []
    assert (total("海湾"), total("植物园")) == (0, 1)
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.slow
def test_rebuilds_leave_no_dead_segments_behind(full_site):
    """Each rebuild writes new segments in worker processes (more than two batches) and drops
    the old ones, whose documents it deleted: two rebuilds leave 200 documents, not 600."""
    from whoosh import index as whoosh_index_files

    for _ in range(2):
        result = manage(full_site, "reindex_articles", "--batch-size", "20")
        assert result.returncode == 0, result.stderr
    ix = whoosh_index_files.open_dir(str(full_site / "whoosh"))
    with ix.reader() as reader:
        assert (reader.doc_count(), reader.doc_count_all()) == (PAGES, PAGES)
    assert 1 <= len(ix._segments()) <= 4  # one per writer process
    assert manage(full_site, "search_check").returncode == 0
