"""Shared fixtures. The shared corpus lives beside the checkout in ../shared/corpus."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("PORTAL_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus, or a skip with the reason when this clone has none beside it."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS_DIR} (set PORTAL_CORPUS_DIR)")
    return CORPUS_DIR


@pytest.fixture(autouse=True)
def _clear_cache():
    """The login throttle counts in the shared cache: no test may inherit another's counts."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- The search index --------------------------------------------------------------------------


@contextlib.contextmanager
def _connection(engine: dict[str, Any]) -> Iterator[Any]:
    """The default Haystack connection on the given engine settings, until the block ends.

    Haystack takes the engine class from connections_info but the engine reads its options
    from settings, so both are pointed at it and both restored before the reload. The
    background retry is off: a test applies the queue itself, or sets its own delay."""
    from django.test import override_settings
    from haystack import connections

    from search.engine import get_engine

    info = connections.connections_info["default"]
    saved = dict(info)
    info.clear()
    info.update(engine)
    try:
        with override_settings(
            HAYSTACK_CONNECTIONS={"default": dict(engine)}, SEARCH_PENDING_RETRY_SECONDS=0
        ):
            connections.reload("default")
            yield get_engine()
    finally:
        info.clear()
        info.update(saved)
        connections.reload("default")


@contextlib.contextmanager
def _empty_index_at(path: Path) -> Iterator[Path]:
    """The default connection on an empty Whoosh index at path, until the block ends."""
    from search.engine.whoosh import index as whoosh_index

    engine = {"ENGINE": "search.backends.ChineseWhooshEngine", "PATH": str(path)}
    with _connection(engine) as current:
        current.state  # noqa: B018 (creates the empty index)
        try:
            yield path
        finally:
            whoosh_index.forget_state(str(path))


@contextlib.contextmanager
def _empty_elasticsearch_index(url: str) -> Iterator[str]:
    """The default connection on a new, empty Elasticsearch index of its own at url; the
    index is deleted afterwards."""
    from haystack import connections

    name = f"xmnews_test_{uuid.uuid4().hex[:12]}"
    engine = {
        "ENGINE": "search.engine.elasticsearch.backend.ChineseElasticsearchEngine",
        "URL": url,
        "INDEX_NAME": name,
        "SILENTLY_FAIL": False,
    }
    with _connection(engine):
        backend = connections["default"].get_backend()
        backend.setup()
        try:
            yield name
        finally:
            backend.conn.indices.delete(index=name, ignore=[404])


@pytest.fixture
def search_index_at() -> Callable[[Path], contextlib.AbstractContextManager[Path]]:
    """For a test that needs more than one index: `with search_index_at(path): ...`."""
    return _empty_index_at


@pytest.fixture
def search_index(tmp_path) -> Iterator[Path]:
    """The default connection on an empty index in tmp_path / "ix" for one test."""
    with _empty_index_at(tmp_path / "ix") as path:
        yield path


# Elasticsearch for the engine-parametrised suites: a server of one's own, e.g.
# PORTAL_TEST_SEARCH_URL=http://127.0.0.1:9200 (never a production cluster: test indexes are
# created and deleted there).
TEST_SEARCH_URL = os.environ.get("PORTAL_TEST_SEARCH_URL", "")
ENGINES = ["whoosh", "elasticsearch"]


@pytest.fixture(params=ENGINES)
def search_engine(request, tmp_path) -> Iterator[str]:
    """An empty index on each engine in turn, the default connection pointed at it: Whoosh
    always, Elasticsearch when PORTAL_TEST_SEARCH_URL names a server (else a skip)."""
    if request.param == "whoosh":
        with _empty_index_at(tmp_path / "ix"):
            yield "whoosh"
        return
    if not TEST_SEARCH_URL:
        pytest.skip("Elasticsearch: set PORTAL_TEST_SEARCH_URL to a test server's URL")
    pytest.importorskip("elasticsearch", reason="pip install -r requirements-es.txt")
    with _empty_elasticsearch_index(TEST_SEARCH_URL):
        yield "elasticsearch"


# --- A real browser ----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
]


@pytest.fixture
def browser(monkeypatch) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, for one test; a skip when either is missing.

    Playwright's sync API runs an event loop in this thread, so Django's guard against
    database calls from async code must be off while it runs, and only then: the variable is
    set for this test and restored after it."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs playwright: pip install -r requirements-dev.txt"
    )
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
