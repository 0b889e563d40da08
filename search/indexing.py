"""The one writer path into the search index. OWNER: search helper (placeholder until then).

index_articles(ids) / remove_articles(ids): apply now.
batch(): a context manager; saves and deletes signalled inside it are collected and
written together when it exits (used by imports).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator


def index_articles(ids: Iterable[int]) -> None:
    return None


def remove_articles(ids: Iterable[int]) -> None:
    return None


@contextlib.contextmanager
def batch() -> Iterator[None]:
    yield
