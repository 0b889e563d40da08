"""Two processes writing to one index: Whoosh's file lock orders them, nothing is lost."""

from __future__ import annotations

import multiprocessing

import pytest
from haystack import connections

from search import whoosh_index

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
        state, match=None, scored=None, filters=[], sort="newest", offset=0, limit=100
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
        state, match=None, scored=None, filters=[], sort="oldest", offset=0, limit=3
    )
    keys = {a.pk: k for k, a in articles.items()}
    # Oldest first: the undated article, then 2021-03-05 and 2021-04-06.
    assert [keys[i] for i in raw.django_ids] == ["storm", "civic", "campus"]
