"""A deterministic corpus of Xiamen-style news, as the importer sees it (JSON Lines, gzipped).

    python bench/corpus.py --articles 2000 [--seed 7] [--out bench/out/corpus-2000-7.jsonl.gz]

Text: sentences recombined from ../shared/corpus (inews_web_news, thucnews_subset, news_sample)
when present, else words drawn by frequency from jieba's dictionary (search_compare.Vocabulary).
Metadata: the district, outlet and year mix of search_compare (DISTRICTS, SOURCES, YEARS), a
time of day, authors, a URL. About 3% of the records are raw noisy HTML pages (navigation,
breadcrumbs, share bar, copyright footer) that go through the cleaner's HTML path; the rest are
jsonl records with title/body/published/source hints, cleaned through its text path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_compare import DISTRICTS, SOURCES, YEARS, Vocabulary, _pick  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
SHARED_FILES = ("inews_web_news.jsonl.gz", "thucnews_subset.jsonl.gz", "news_sample.jsonl.gz")
RAW_SHARE = 0.03
_SENTENCE = re.compile(r"[^。！？!?]{8,160}[。！？!?]")
SURNAMES = "陈林黄王李张吴郑刘蔡杨许洪谢苏"
GIVEN = "晓雅丽志伟明华婷斌艳建强海燕佳颖"
NAV = "首页 | 厦门 | 福建 | 国内 | 国际 | 财经 | 体育 | 娱乐 | 视频 | 图片 | 专题"
FOOTER = "版权所有 厦门日报社 闽ICP备05000000号 违法和不良信息举报电话：0592-0000000"


def shared_sentences(limit: int = 200_000) -> list[str]:
    """Sentences of the shared corpus's article bodies ([] when the corpus is absent)."""
    out: list[str] = []
    for name in SHARED_FILES:
        path = SHARED / name
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                body = json.loads(line).get("body") or ""
                out.extend(s.strip() for s in _SENTENCE.findall(str(body)))
                if len(out) >= limit:
                    return out
    return out


class TextSource:
    """Sentences for article bodies: recombined real sentences, or dictionary words."""

    def __init__(self) -> None:
        self.sentences = shared_sentences()
        self.vocab = None if self.sentences else Vocabulary()

    def sentence(self, rng: random.Random, district: str) -> str:
        if self.sentences:
            text = rng.choice(self.sentences)
        else:
            assert self.vocab is not None
            text = "".join(self.vocab.draw(rng, rng.randint(6, 18))) + rng.choice("，。。；")
        if district and rng.random() < 0.15:
            text = district + rng.choice(("", "的", "将", "近日")) + text
        return text

    def title(self, rng: random.Random, district: str) -> str:
        words = self.sentence(rng, "")[: rng.randint(10, 24)].rstrip("，。！？；、")
        return (district[:2] if district else "") + words


def article(text: TextSource, rng: random.Random, n: int) -> dict[str, Any]:
    """One article record: title, body (~1,500-2,500 characters), metadata."""
    district = _pick(rng, DISTRICTS)
    target = rng.randint(1000, 2800)
    paragraphs, size = [], 0
    while size < target:
        para = "".join(text.sentence(rng, district) for _ in range(rng.randint(2, 6)))
        paragraphs.append(para)
        size += len(para)
    year = _pick(rng, YEARS)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    when = f"{date.isoformat()} {rng.randint(6, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    author = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
    return {
        "title": text.title(rng, district) + f"（{n}）",
        "body": "\n".join(paragraphs),
        "published": when,
        "source": _pick(rng, SOURCES),
        "district": district,
        "authors": [author],
        "url": f"https://news.example.cn/{date:%Y%m}/{n}.shtml",
    }


def raw_page(record: dict[str, Any]) -> str:
    """The record as a scraped page with the usual noise around the article."""
    paras = "".join(f"<p>{p}</p>" for p in record["body"].split("\n"))
    return (
        f"<html><head><title>{record['title']}_{record['source']}</title></head><body>"
        f"<div class='nav'>{NAV}</div><div class='crumb'>您当前的位置：首页 &gt; 厦门新闻</div>"
        f"<h1>{record['title']}</h1><div class='info'>{record['published']} "
        f"来源：{record['source']} 作者：{record['authors'][0]}</div>"
        f"<div class='content'>{paras}</div><div class='share'>分享到：微信 微博 QQ空间</div>"
        f"<div class='footer'>{FOOTER}</div></body></html>"
    )


def records(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng, text = random.Random(seed), TextSource()
    for i in range(n):
        record = article(text, rng, i)
        if rng.random() < RAW_SHARE:
            yield {"raw": raw_page(record), "url": record["url"]}
        else:
            yield record


def write(n: int, seed: int, out: Path) -> Path:
    """Write the corpus once; an existing file of the same name is reused."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as handle:
        for record in records(n, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.rename(out)
    return out


def default_path(n: int, seed: int) -> Path:
    return ROOT / "bench" / "out" / f"corpus-{n}-{seed}.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(write(args.articles, args.seed, args.out or default_path(args.articles, args.seed)))


if __name__ == "__main__":
    main()
