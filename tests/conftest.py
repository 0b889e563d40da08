"""Shared fixtures. The shared corpus lives beside the checkout in ../shared/corpus."""

from __future__ import annotations

import os
from pathlib import Path

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
