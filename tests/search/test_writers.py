"""Two processes writing to one index: Whoosh's file lock orders them, nothing is lost."""

from __future__ import annotations

import multiprocessing

import pytest
from haystack import connections

from search.engine.types import Filters
from search.engine.whoosh import index as whoosh_index

pytestmark = pytest.mark.django_db


def _doc(n: int) -> dict:
    return {
        "id": f"articles.article.{n}",
        "django_ct": "articles.article",
        "django_id": str(n),
        "text": f"第{n}号 测试稿件 整车",
        "order": n,
    }


def _write_many(path: str, schema, start: int) -> None:
    whoosh_index.forget_state()  # the parent's open state is not ours after fork
    state = whoosh_index.get_state(path, schema)
    for n in range(start, start + 20):
        whoosh_index.write(state, delete_ids=[f"articles.article.{n}"], docs=[_doc(n)])


def test_two_processes_write_at_once(search_index):
    backend = connections["default"].get_backend()
    backend.setup()
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_write_many, args=(str(search_index), backend.schema, 1000))
    child.start()
    _write_many(str(search_index), backend.schema, 2000)
    child.join(timeout=120)
    assert child.exitcode == 0
    state = whoosh_index.get_state(str(search_index), backend.schema)
    raw = whoosh_index.run(
        state, match=None, scored=None, filters=Filters(), sort="newest", offset=0, limit=100
    )
    assert raw.total == 40
    assert sorted(raw.django_ids) == [*range(1000, 1020), *range(2000, 2020)]


def test_sort_key_and_digest_are_columns_without_terms(articles):
    """The two 64-bit fields are read as columns only: writing their trie terms (16 per
    document) cost two thirds of the lexicon. Sorting and search_check still read them."""
    backend = connections["default"].get_backend()
    state = whoosh_index.get_state(backend.path, backend.schema)
    reader = state.searcher().reader()
    assert list(reader.lexicon("order")) == []
    assert list(reader.lexicon("digest")) == []
    assert reader.has_column("order") and reader.has_column("digest")
    raw = whoosh_index.run(
        state, match=None, scored=None, filters=Filters(), sort="oldest", offset=0, limit=3
    )
    keys = {a.pk: k for k, a in articles.items()}
    # Oldest first: the undated article, then 2021-03-05 and 2021-04-06.
    assert [keys[i] for i in raw.django_ids] == ["storm", "civic", "campus"]


def test_worker_processes_write_with_the_schema_of_the_code_not_of_the_index(tmp_path):
    """An index made when the sort key was indexed (16 trie terms a document): a parallel
    rebuild's worker processes must use today's schema, where it is a column only."""
    from whoosh import index
    from whoosh.fields import ID, NUMERIC, TEXT, Schema

    from search.analysis import ChineseAnalyzer
    from search.backends import _column_only

    def schema(order):
        return Schema(id=ID(stored=True, unique=True), text=TEXT(ChineseAnalyzer()), order=order)

    path = tmp_path / "ix"
    path.mkdir()
    numeric = {"numtype": int, "bits": 64, "sortable": True, "signed": True}
    index.create_in(str(path), schema(NUMERIC(**numeric))).writer().commit()
    state = whoosh_index.IndexState(str(path), schema(_column_only(NUMERIC(**numeric))))
    writer = whoosh_index._writer(state, 2)
    for n in range(600):  # more than one batch of 250: both workers write
        writer.add_document(id=str(n), text=f"第{n}号 整车", order=n)
    writer.commit()
    reader = state.searcher().reader()
    assert reader.doc_count() == 600 and len(reader.leaf_readers()) >= 2
    assert list(reader.lexicon("order")) == []
    assert sorted(state.order(state.searcher()).tolist()) == list(range(600))
    state.close()


def test_no_schema_commit_when_the_index_has_the_codes_schema(search_index):
    """The schema is saved before a parallel write only when it changed: a commit bumps the
    generation, which makes every process reopen its searcher."""
    backend = connections["default"].get_backend()
    backend.setup()
    state = whoosh_index.get_state(str(search_index), backend.schema)
    whoosh_index.write(state, delete_ids=[], docs=[_doc(1)])
    before = state.index.latest_generation()
    whoosh_index._writer(state, 2).cancel()
    assert state.index.latest_generation() == before


@pytest.mark.skipif(
    whoosh_index.WRITER_PROCS < 2, reason="one CPU: one writer process, one segment"
)
def test_reindex_articles_indexes_in_worker_processes(search_index, transactional_db, monkeypatch):
    """manage.py reindex_articles hands the articles to the index writer's worker
    processes (one segment each), and every article is in the index after it."""
    import threading

    from django.core.management import call_command

    from articles.models import Article

    # Earlier tests leave threads in this process (live servers, retry timers); the writer
    # forks only from a single-threaded process, so it is shown only those the command
    # itself starts (a progress monitor thread once made rebuilds index in one process).
    before, count = threading.active_count(), threading.active_count
    monkeypatch.setattr(threading, "active_count", lambda: count() - before + 1)
    Article.objects.bulk_create(
        Article(title=f"第{n}号稿件", body=f"整车 测试 第{n}段", fingerprint=f"fp-{n}")
        for n in range(700)
    )
    used = []
    original = whoosh_index._writer

    def writer(state, procs):
        used.append(procs)
        return original(state, procs)

    monkeypatch.setattr(whoosh_index, "_writer", writer)
    call_command("reindex_articles", "--batch-size", "100", verbosity=0)
    assert used == [whoosh_index.WRITER_PROCS]
    backend = connections["default"].get_backend()
    state = whoosh_index.get_state(backend.path, backend.schema)
    searcher = state.searcher()
    assert searcher.doc_count() == 700
    assert len(list(searcher.reader().leaf_readers())) >= 2  # one segment per worker
    raw = whoosh_index.run(
        state, match=None, scored=None, filters=Filters(), sort="newest", offset=0, limit=1000
    )
    assert sorted(raw.django_ids) == sorted(Article.objects.values_list("pk", flat=True))
