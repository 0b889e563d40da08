"""The golden fixtures themselves are well formed (no cleaner involved).

Checks: every own page has its raw file and a complete expect block; the substring checks
agree with the expected body; the files are the bytes the generator writes (so the
GB18030/Big5/UTF-16/BOM/CRLF pages are reproducible); the duplicate set shares one body
and one fingerprint; corpus_cases.json is well formed; every pattern is covered twice.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from articles.cleaning.types import text_fingerprint

GOLDEN = Path(__file__).resolve().parent
sys.path.insert(0, str(GOLDEN))

import _make_fixtures  # noqa: E402

EXPECTED = sorted(GOLDEN.glob("*.expected.json"))
ALL_CASES = _make_fixtures.TEXT_CASES + _make_fixtures.HTML_CASES


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def corpus_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(
        (GOLDEN / "corpus_cases.json").read_text(encoding="utf-8")
    )
    return cases


def test_enough_cases() -> None:
    assert len(EXPECTED) >= 28
    assert len(corpus_cases()) >= 12


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_own_fixture_complete(path: Path) -> None:
    spec = load(path)
    expect = spec["expect"]
    assert set(expect) == set(_make_fixtures.EXPECT_KEYS)
    assert (GOLDEN / spec["input"]["filename"]).is_file()
    assert expect["needs_review"] == bool(expect["review_reasons"])
    for text in spec.get("body_contains", []):
        assert text in expect["body"]
    for text in spec.get("body_not_contains", []):
        assert text not in expect["body"]
    assert spec["covers"]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c["name"])
def test_files_match_generator(case: dict[str, Any]) -> None:
    """Committed bytes == generator output, so nobody hand-edits a GBK file into UTF-8."""
    data = case.get("raw_bytes") or _make_fixtures.encode_page(
        case["raw"], encoding=case.get("encoding", "utf-8"), crlf=case.get("crlf", False)
    )
    assert (GOLDEN / f"{case['name']}.{case['ext']}").read_bytes() == data
    assert load(GOLDEN / f"{case['name']}.expected.json") == _make_fixtures.expected_json(case)


def test_declared_encodings() -> None:
    """The brief's encoding mix is really there: 2+ GB18030, Big5, UTF-16, BOM, 2+ CRLF."""
    encodings = Counter(c.get("encoding", "utf-8") for c in ALL_CASES)
    assert encodings["gb18030"] >= 2
    assert encodings["big5"] >= 1
    assert encodings["utf-16"] >= 1
    assert encodings["utf-8-sig"] >= 1
    assert sum(1 for c in ALL_CASES if c.get("crlf")) >= 2
    gbk = (GOLDEN / "dup_b_gbk_crlf_text.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert b"\r\n" in gbk


def test_duplicate_set_shares_body_and_fingerprint() -> None:
    specs = [load(p) for p in EXPECTED if p.name.startswith("dup_")]
    assert len(specs) == 4
    bodies = {s["expect"]["body"] for s in specs}
    assert len(bodies) == 1
    assert len({text_fingerprint(b) for b in bodies}) == 1
    assert len({s["expect"]["site"] for s in specs}) == 4  # None, 台海网, 厦门网, 东南网
    assert len({s["expect"]["source"] for s in specs}) == 2


def test_corpus_cases_well_formed() -> None:
    names = [c["name"] for c in corpus_cases()]
    assert len(names) == len(set(names))
    for case in corpus_cases():
        assert case["field"] in ("html", "body", None)
        assert (case["line"] is None) == (case["field"] is None)
        assert len(case["body_contains"]) >= 3
        assert case["body_not_contains"]


def test_every_pattern_covered_twice() -> None:
    covers = Counter(
        tag for spec in [*map(load, EXPECTED), *corpus_cases()] for tag in spec["covers"]
    )
    once = sorted(tag for tag, n in covers.items() if n < 2)
    assert once == []
