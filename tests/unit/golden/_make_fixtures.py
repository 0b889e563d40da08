"""Write the golden own-page fixtures: raw page bytes + <name>.expected.json.

Every page text and every expectation below was written by hand (invented Xiamen local
news); nothing here runs the cleaner. The script only exists so the non-UTF-8 files
(GB18030, Big5, UTF-16, UTF-8 with BOM, CRLF) are reproducible byte for byte.

Run from the repository root:  .venv/bin/python tests/unit/golden/_make_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

from _pages_html import HTML_CASES
from _pages_text import TEXT_CASES

HERE = Path(__file__).resolve().parent

EXPECT_KEYS = (
    "title",
    "published",
    "source",
    "site",
    "district",
    "authors",
    "keywords",
    "captions",
    "body",
    "url",
    "needs_review",
    "review_reasons",
)


def encode_page(raw: str, *, encoding: str, crlf: bool) -> bytes:
    """Page text → bytes as a scraper saved them: "a\\nb", crlf → b"a\\r\\nb"."""
    if crlf:
        raw = raw.replace("\n", "\r\n")
    if encoding == "utf-16":
        return raw.encode("utf-16")  # with BOM, little endian on this machine
    return raw.encode(encoding)


def expected_json(case: dict) -> dict:
    """The fixture's JSON: covers, input, the full expect block and substring checks."""
    expect = dict(case["expect"])
    expect["body"] = "\n".join(case["body"])
    expect.setdefault("review_reasons", [])
    expect["needs_review"] = bool(expect["review_reasons"])
    missing = [k for k in EXPECT_KEYS if k not in expect]
    if missing:
        raise ValueError(f"{case['name']}: expect lacks {missing}")
    out = {
        "covers": case["covers"],
        "input": {
            "default_year": case.get("default_year"),
            "filename": f"{case['name']}.{case['ext']}",
        },
        "expect": {k: expect[k] for k in EXPECT_KEYS},
    }
    if case.get("contains"):
        out["body_contains"] = case["contains"]
    if case.get("not_contains"):
        out["body_not_contains"] = case["not_contains"]
    return out


def write_case(case: dict) -> None:
    """Write <name>.<ext> (raw bytes) and <name>.expected.json for one case."""
    data = case.get("raw_bytes")
    if data is None:
        data = encode_page(
            case["raw"], encoding=case.get("encoding", "utf-8"), crlf=case.get("crlf", False)
        )
    (HERE / f"{case['name']}.{case['ext']}").write_bytes(data)
    text = json.dumps(expected_json(case), ensure_ascii=False, indent=2) + "\n"
    (HERE / f"{case['name']}.expected.json").write_text(text, encoding="utf-8")


def main() -> None:
    cases = TEXT_CASES + HTML_CASES
    names = [c["name"] for c in cases]
    if len(names) != len(set(names)):
        raise ValueError("duplicate case names")
    for case in cases:
        write_case(case)
    print(f"wrote {len(cases)} own-page cases to {HERE}")


if __name__ == "__main__":
    main()
