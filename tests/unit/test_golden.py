"""Golden fixtures: every page in tests/unit/golden/ must clean to what its JSON expects.

Own pages: <name>.<txt|html|htm> beside <name>.expected.json. Real pages: corpus_cases.json
points into the shared corpus (those cases skip when the corpus is absent). The format is
described in the fixtures' README / generator (tests/unit/golden/_make_fixtures.py).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from articles.cleaning import CleanArticle, clean_page

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGE_EXTS = (".txt", ".html", ".htm")


def own_cases() -> list[tuple[str, Path, Path]]:
    """(name, page file, expected json) for every own page with an expectation beside it."""
    cases = []
    for expected in sorted(GOLDEN.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        pages = [GOLDEN / f"{name}{ext}" for ext in PAGE_EXTS if (GOLDEN / f"{name}{ext}").exists()]
        if pages:
            cases.append((name, pages[0], expected))
    return cases


def corpus_cases() -> list[dict[str, Any]]:
    path = GOLDEN / "corpus_cases.json"
    if not path.exists():
        return []
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def read_record(corpus_dir: Path, file: str, line: int) -> dict[str, Any]:
    """The line-th (0-based) JSON record of a .jsonl.gz corpus file."""
    with gzip.open(corpus_dir / file, "rt", encoding="utf-8") as handle:
        lines: Iterator[str] = islice(handle, line, line + 1)
        record: dict[str, Any] = json.loads(next(lines))
    return record


def check(article: CleanArticle, spec: dict[str, Any]) -> None:
    """Compare every expected key exactly, then the substring checks on the body."""
    got = article.as_dict()
    for key, want in spec.get("expect", {}).items():
        assert got[key] == want, f"{key}: got {got[key]!r}, want {want!r}"
    for text in spec.get("body_contains", []):
        assert text in article.body, f"body lacks {text!r}"
    for text in spec.get("body_not_contains", []):
        assert text not in article.body, f"body still has {text!r}"


@pytest.mark.parametrize(
    ("page", "expected"),
    [pytest.param(page, exp, id=name) for name, page, exp in own_cases()],
)
def test_own_page(page: Path, expected: Path) -> None:
    spec = json.loads(expected.read_text(encoding="utf-8"))
    given = spec.get("input", {})
    article = clean_page(
        page.read_bytes(),
        filename=given.get("filename") or page.name,
        default_year=given.get("default_year"),
        hints=given.get("hints"),
    )
    check(article, spec)


def corpus_input(case: dict[str, Any], corpus_dir: Path) -> tuple[bytes | str, dict[str, Any]]:
    """The raw page and hints of a corpus case: a jsonl record's field, or a whole file."""
    hints: dict[str, Any] = dict(case.get("input", {}).get("hints") or {})
    if case.get("line") is None:
        return (corpus_dir / case["file"]).read_bytes(), hints
    record = read_record(corpus_dir, case["file"], case["line"])
    if case.get("title_field"):
        hints["title"] = record[case["title_field"]]
    raw = record[case.get("field") or "html"]
    return (raw if case.get("field") == "body" else raw.encode("utf-8")), hints


@pytest.mark.corpus
@pytest.mark.parametrize("case", [pytest.param(c, id=c["name"]) for c in corpus_cases()])
def test_corpus_page(case: dict[str, Any], corpus_dir: Path) -> None:
    raw, hints = corpus_input(case, corpus_dir)
    given = case.get("input", {})
    article = clean_page(
        raw,
        filename=given.get("filename", ""),
        default_year=given.get("default_year"),
        hints=hints or None,
    )
    check(article, case)


def test_golden_set_is_not_empty() -> None:
    """A renamed folder must not turn the golden suite into zero passing tests."""
    assert len(own_cases()) + len(corpus_cases()) >= 1
