"""Importing every page of the shared corpus: no crash, a sensible report."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, RawPage

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.slow]


def count_records(corpus_dir: Path) -> int:
    total = 0
    for path in corpus_dir.rglob("*.jsonl*"):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            total += sum(1 for line in handle if line.strip())
    return total + len(list(corpus_dir.rglob("*.txt")))


def test_whole_corpus_imports_with_a_sensible_report(corpus_dir: Path, capsys):
    call_command("import_articles", str(corpus_dir), "--year", "2021")
    captured = capsys.readouterr()
    summary = captured.out.strip().splitlines()[-1]
    numbers = [int(part.split()[1]) for part in summary.split("，")]
    imported, duplicates, needs_review, failed = numbers
    assert imported + duplicates + failed == count_records(corpus_dir)
    assert imported == Article.objects.count() == RawPage.objects.count()
    failures = [line for line in captured.err.splitlines() if line.startswith("失败")]
    assert len(failures) == failed
    reasons = Counter(line.rsplit("：", 1)[-1] for line in failures)
    # Only two kinds of failure: the 293 homepage headlines have no body at all, and some
    # inews records are a title and nothing else (or only page noise).
    assert reasons["缺少“raw”或“body”字段"] == 293
    assert set(reasons) == {
        "缺少“raw”或“body”字段",
        "未提取到正文（页面是空的，只有标题，或全部是网页杂项）",
    }
    assert failed < 800
    assert imported > 7300
    assert 0 < needs_review < imported
    # A text file with no title line takes its title from the file name.
    assert Article.objects.filter(title="厦门大学：高举百年爱国报国旗帜再出发").exists()
    # Every stored article has a title and a body.
    assert not Article.objects.filter(title="").exists()
    assert not Article.objects.filter(body="").exists()
    # A second run changes nothing.
    call_command("import_articles", str(corpus_dir), "--year", "2021")
    assert "导入 0 篇" in capsys.readouterr().out
    assert Article.objects.count() == imported


def test_corpus_failures_are_named_with_reasons(corpus_dir: Path, capsys):
    headlines = corpus_dir / "xiamen_raw" / "homepage_headlines_xmnn_fjsen_2018.jsonl"
    call_command("import_articles", str(headlines))
    captured = capsys.readouterr()
    records = [json.loads(line) for line in headlines.read_text(encoding="utf-8").splitlines()]
    assert f"失败 {len(records)} 个" in captured.out
    assert f"{headlines}:1：缺少“raw”或“body”字段" in captured.err
