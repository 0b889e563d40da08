"""Cleaning report: per-field accuracy on the golden set, throughput and review counts.

Run from the repository root:

    .venv/bin/python bench/cleaning_report.py            # golden accuracy + throughput
    .venv/bin/python bench/cleaning_report.py --all      # also every corpus page: crashes, reasons

No Django needed: the cleaner is pure. The corpus is read from ../shared/corpus (or
PORTAL_CORPUS_DIR); parts that need it are skipped when it is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.cleaning import CleanArticle, clean_page  # noqa: E402

GOLDEN = ROOT / "tests" / "unit" / "golden"
CORPUS = Path(os.environ.get("PORTAL_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
FIELDS = ("title", "published", "source", "site", "district", "authors", "keywords", "captions")


def records(name: str) -> Iterator[dict[str, Any]]:
    """The JSON records of one corpus .jsonl.gz file."""
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def golden_runs() -> Iterator[tuple[dict[str, Any], CleanArticle]]:
    """(spec, cleaned article) for every own-page and (when present) corpus golden case."""
    for expected in sorted(GOLDEN.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        pages = [p for p in GOLDEN.glob(f"{name}.*") if not p.name.endswith(".json")]
        if not pages:
            continue
        spec = json.loads(expected.read_text(encoding="utf-8"))
        given = spec.get("input", {})
        article = clean_page(
            pages[0].read_bytes(),
            filename=given.get("filename") or pages[0].name,
            default_year=given.get("default_year"),
        )
        yield spec, article
    cases_file = GOLDEN / "corpus_cases.json"
    if not cases_file.exists() or not CORPUS.is_dir():
        return
    for case in json.loads(cases_file.read_text(encoding="utf-8")):
        raw, hints = corpus_input(case)
        default_year = case.get("input", {}).get("default_year")
        yield case, clean_page(raw, default_year=default_year, hints=hints or None)


def corpus_input(case: dict[str, Any]) -> tuple[bytes | str, dict[str, Any]]:
    """The raw page and hints of a corpus golden case: a jsonl record's field or a whole file."""
    hints: dict[str, Any] = dict(case.get("input", {}).get("hints") or {})
    if case.get("line") is None:
        return (CORPUS / case["file"]).read_bytes(), hints
    record = next(r for i, r in enumerate(records(case["file"])) if i == case["line"])
    if case.get("title_field"):
        hints["title"] = record[case["title_field"]]
    raw = record[case.get("field") or "html"]
    return (raw if case.get("field") == "body" else raw.encode("utf-8")), hints


def body_checks_pass(spec: dict[str, Any], article: CleanArticle) -> bool:
    body = article.body
    return all(t in body for t in spec.get("body_contains", [])) and not any(
        t in body for t in spec.get("body_not_contains", [])
    )


def report_golden() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    cases = 0
    for spec, article in golden_runs():
        cases += 1
        got = article.as_dict()
        expect = spec.get("expect", {})
        for field in (*FIELDS, "body"):
            if field in expect:
                total[field] += 1
                right[field] += got[field] == expect[field]
        if spec.get("body_contains") or spec.get("body_not_contains"):
            total["body checks"] += 1
            right["body checks"] += body_checks_pass(spec, article)
    print(f"golden cases: {cases}")
    for field in (*FIELDS, "body", "body checks"):
        if total[field]:
            share = right[field] / total[field]
            print(f"  {field:<12} {right[field]:>4}/{total[field]:<4} {share:6.1%}")


def throughput() -> None:
    if not CORPUS.is_dir():
        print("throughput: corpus not found, skipped")
        return
    pages = [r["html"].encode("utf-8") for r in records("raw_pages_cn_news.jsonl.gz")]
    bodies = [
        (r["body"], r["title"])
        for _, r in zip(range(1000), records("inews_web_news.jsonl.gz"), strict=False)
    ]
    clean_page("预热")  # the OpenCC converters load once per process
    start = time.perf_counter()
    for raw in pages:
        clean_page(raw)
    html_secs = time.perf_counter() - start
    start = time.perf_counter()
    for body, title in bodies:
        clean_page(body, hints={"title": title})
    text_secs = time.perf_counter() - start
    size = sum(map(len, pages)) / 1e6
    print(
        f"throughput: {len(pages)} raw HTML pages ({size:.1f} MB) in {html_secs:.2f}s = "
        f"{len(pages) / html_secs:.0f} pages/s; {len(bodies)} inews bodies in {text_secs:.2f}s = "
        f"{len(bodies) / text_secs:.0f} pages/s"
    )


def report_all() -> None:
    """Every corpus page through clean_page: crashes (must be 0) and review reasons per set."""
    sets: dict[str, list[tuple[bytes | str, dict[str, Any] | None]]] = {
        "inews bodies": [
            (r["body"], {"title": r["title"]}) for r in records("inews_web_news.jsonl.gz")
        ],
        "raw HTML pages": [
            (r["html"].encode("utf-8"), None) for r in records("raw_pages_cn_news.jsonl.gz")
        ],
        "news_sample bodies": [
            (r["body"], {"title": r["title"]}) for r in records("news_sample.jsonl.gz")
        ],
    }
    for name, inputs in sets.items():
        reasons: Counter[str] = Counter()
        crashes = 0
        for raw, hints in inputs:
            try:
                article = clean_page(raw, hints=hints)
            except Exception:
                crashes += 1
                continue
            reasons.update(article.review_reasons)
            reasons["(needs review)"] += article.needs_review
        counts = ", ".join(f"{reason} {count}" for reason, count in reasons.most_common())
        print(f"{name}: {len(inputs)} pages, crashes {crashes}; {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="clean every corpus page too")
    args = parser.parse_args()
    report_golden()
    throughput()
    if args.all and CORPUS.is_dir():
        report_all()


if __name__ == "__main__":
    main()
