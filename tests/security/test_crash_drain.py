"""Issue 20, point 3: nothing stored stays unsearchable after a crash.

An import killed with SIGKILL during its index phase leaves every article stored and queued,
none indexed. A re-run of the same import, search_check and reindex_articles each apply the
queue before they end; a running gunicorn applies it on its own, without a search waiting for
it; the killed import's batch is marked interrupted with its true counts.

The kill is deterministic: the import runs with search.engine.whoosh.index.write_batches replaced by
a pause that drops a flag file, so it is killed while it holds the index writers' lock, after
storing every page (as test_search_faults.py, on a data dir of its own in tmp_path).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.integration.test_production import (
    free_port,
    prod_env,
)
from tests.integration.test_search_faults import (
    ROOT,
    _env,
    count,
    kill,
    manage,
    wait_until,
    write_pages,
)
from tests.servers import running_gunicorn

PAGES = 300
COPIES = 10  # the first pages' bytes again, under other names: already imported
QUEUED = "select count(*) from search_pendingindexupdate"
BATCH = (
    "select interrupted, finished_at is null, imported, duplicates, needs_review, failed "
    "from articles_importbatch where id = 1"
)

# import_articles with a step of its index phase replaced by a pause: killed there, it has
# stored and queued every article. PAUSE_AT: whoosh_index.write_batches (the write, under the
# writers' lock) or indexing._after_commit (the index phase's start, before the lock).
PAUSED_IMPORT = """
import os, sys, time
import django
django.setup()
from search import indexing
from search.engine.whoosh import index as whoosh_index

def paused(*args, **kwargs):
    open(os.environ["PAUSE_FLAG"], "w").close()
    time.sleep(600)

module, name = os.environ["PAUSE_AT"].split(".")
setattr({"indexing": indexing, "whoosh_index": whoosh_index}[module], name, paused)
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "import_articles", *sys.argv[1:]])
"""


def write_set(folder: Path) -> None:
    """PAGES pages, COPIES byte-for-byte copies of the first ones and one empty page."""
    write_pages(folder, PAGES)
    for i in range(COPIES):
        shutil.copy(folder / f"p{i:04d}.txt", folder / f"q{i:04d}.txt")
    (folder / "empty.txt").write_text("\n", encoding="utf-8")


def import_killed_while_indexing(
    data_dir: Path, pages: Path, env: dict[str, str], at: str = "whoosh_index.write_batches"
) -> float:
    """Run the paused import on data_dir, kill -9 it in its index phase; → time of the kill."""
    flag = pages.parent / "indexing"
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, str(pages)],
        cwd=ROOT,
        env={**env, "PAUSE_FLAG": str(flag), "PAUSE_AT": at},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_until(flag.exists, timeout=120)
    kill(proc)
    return time.monotonic()


@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> Path:
    """A data dir where an import of write_set was killed in its index phase."""
    data = tmp_path_factory.mktemp("killed") / "data"
    data.mkdir()
    assert manage(data, "migrate", "-v0").returncode == 0
    pages = tmp_path_factory.mktemp("set") / "pages"
    write_set(pages)
    import_killed_while_indexing(data, pages, _env(data))
    assert count(data, "select count(*) from articles_article") == PAGES
    assert count(data, QUEUED) == PAGES
    return data


@pytest.fixture
def site(killed, tmp_path) -> tuple[Path, Path]:
    """(a copy of the killed data dir, the pages) for one test."""
    data = tmp_path / "data"
    shutil.copytree(killed, data)
    pages = tmp_path / "pages"
    write_set(pages)
    return data, pages


@pytest.mark.slow
def test_rerun_of_a_killed_import_indexes_what_it_had_stored(site):
    data, pages = site
    started = time.monotonic()
    again = manage(data, "import_articles", str(pages), "--quiet-items")
    elapsed = time.monotonic() - started
    assert again.returncode == 0, again.stderr
    assert count(data, QUEUED) == 0
    assert again.stdout == (
        "导入批次 #1 已中断：导入 300 篇，重复 10 篇，待审核 0 篇，失败 1 个\n"
        "导入 0 篇，重复 310 篇，待审核 0 篇，失败 1 个\n"
    )
    check = manage(data, "search_check")
    assert check.returncode == 0, check.stdout
    assert check.stdout == (
        "数据库 300 篇已发布，索引 300 篇；缺失 0，过期 0，多余 0；排队 0 条\n一致\n"
    )
    print(f"re-run: every one of {PAGES} articles searchable {elapsed:.1f} s after it started")


@pytest.mark.slow
def test_search_check_applies_the_queue_before_comparing(site):
    data, _ = site
    check = manage(data, "search_check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == (
        "导入批次 #1 已中断：导入 300 篇，重复 10 篇，待审核 0 篇，失败 1 个\n"
        "排队 300 条，已先写入索引 300 条\n"
        "数据库 300 篇已发布，索引 300 篇；缺失 0，过期 0，多余 0；排队 0 条\n一致\n"
    )
    assert count(data, QUEUED) == 0


@pytest.mark.slow
def test_reindex_after_a_killed_import_leaves_nothing_queued(site):
    data, _ = site
    result = manage(data, "reindex_articles")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "已索引 300 篇稿件\n"
    assert count(data, QUEUED) == 0
    assert manage(data, "search_check").stdout.endswith("排队 0 条\n一致\n")


@pytest.mark.slow
def test_killed_import_batch_is_marked_interrupted_with_true_counts(site):
    data, pages = site
    # Not finished, not yet known to be interrupted; the counts were written before indexing.
    with sqlite3.connect(data / "db.sqlite3") as db:
        assert db.execute(BATCH).fetchone() == (0, 1, 300, 10, 0, 1)
        # Numbers that drifted (an editor deleted one article since): recounted from the rows.
        db.execute("update articles_importbatch set imported = 7 where id = 1")
        db.execute("delete from articles_article where id = 300")
    again = manage(data, "import_articles", str(pages), "--quiet-items")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == (
        "导入批次 #1 已中断：导入 299 篇，重复 10 篇，待审核 0 篇，失败 1 个"
    )
    with sqlite3.connect(data / "db.sqlite3") as db:
        assert db.execute(BATCH).fetchone() == (1, 1, 299, 10, 0, 1)
        second = db.execute(BATCH.replace("id = 1", "id = 2")).fetchone()
        assert second == (0, 0, 0, 310, 0, 1)
    # Reported once: a later run finds no batch left to mark.
    assert "已中断" not in manage(data, "search_check").stdout


# --- A running server -------------------------------------------------------------------------


def api_total(base: str, q: str) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(q)}", timeout=20) as r:
        total = json.loads(r.read())["total"]
    return total, time.monotonic() - started


@pytest.mark.slow
def test_a_running_server_applies_what_a_killed_import_left_queued(tmp_path):
    data = tmp_path / "data"
    pages = tmp_path / "pages"
    write_set(pages)
    port = free_port()
    env = prod_env(
        data,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PORTAL_SEARCH_DRAIN_SECONDS=os.environ.get("PORTAL_SEARCH_DRAIN_SECONDS", "2"),
    )
    data.mkdir()
    assert manage(data, "migrate", "-v0").returncode == 0
    log_path = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with running_gunicorn(env, log_path=log_path, probe=f"{base}/api/search?q=x"):
        # Paused before the writers' lock: the server's drain may hold it, applying the rows
        # the import queued so far, and an import that finds it held leaves the rest to it.
        killed_at = import_killed_while_indexing(data, pages, env, at="indexing._after_commit")
        left = count(data, QUEUED)
        slowest = 0.0
        while True:
            total, took = api_total(base, "垃圾分类")
            slowest = max(slowest, took)
            if total == PAGES:
                break
            assert time.monotonic() - killed_at < 60, f"{total} of {PAGES} searchable after 60 s"
            time.sleep(0.1)
        searchable = time.monotonic() - killed_at
    assert count(data, QUEUED) == 0
    assert slowest < 2.0, f"a search took {slowest:.2f} s while the queue was applied"
    drained = re.findall(
        r"applied (\d+) queued search index updates in ([\d.]+) s", log_path.read_text()
    )
    assert drained  # the server's drain applied them: the import never wrote the index
    print(
        f"server: every one of {PAGES} articles searchable {searchable:.1f} s after the kill; "
        f"{left} queued at the kill; drains {drained}; slowest search meanwhile {slowest:.2f} s"
    )


# --- Which batches are interrupted ------------------------------------------------------------


@pytest.mark.django_db
def test_only_batches_of_dead_processes_on_this_host_are_marked(admin_client):
    from articles.batches import HOST, batches_mark_interrupted
    from articles.models import ImportBatch

    gone = subprocess.Popen(["true"])
    gone.wait()  # reaped: no process has its pid now
    rows = {
        "dead": {"host": HOST, "pid": gone.pid},
        "alive": {"host": HOST, "pid": os.getppid()},
        "this process": {"host": HOST, "pid": os.getpid()},
        "other host": {"host": "web-2", "pid": 1},
        "before pids were kept": {"host": "", "pid": None},
    }
    for label, owner in rows.items():
        ImportBatch.objects.create(label=label, **owner)
    marked = batches_mark_interrupted()
    assert [b.label for b in marked] == ["dead"]
    interrupted = ImportBatch.objects.filter(interrupted=True).values_list("label", flat=True)
    assert list(interrupted) == ["dead"]
    assert batches_mark_interrupted() == []
    html = admin_client.get("/admin/articles/importbatch/").content.decode()
    assert html.count(">已中断<") == 1
    assert html.count(">进行中<") == 4
