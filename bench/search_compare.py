"""Search latency, ours vs stock Haystack + Whoosh + jieba's ChineseAnalyzer, same corpus.

    python bench/search_compare.py [--articles 20000] [--stock-articles N] [--json]

Generates a deterministic corpus (words drawn by frequency from jieba's dictionary, the
real district and outlet mix, dates 2015-2024 weighted to recent years), stores it in a
throw-away database, builds our index through search.indexing.rebuild() and the stock index
with the stock schema and jieba.analyse.ChineseAnalyzer, as the tutorials set it up (see
build_stock), then times the same queries:
ours through search.query.search_articles (facets district/source/year/month, highlighted
title and snippet, hits read from the database), stock through SearchQuerySet with
facet(district, source, year), highlight() and load_all(). Warm: one untimed pass first.
Stock update() is used for the first 500 articles only (it opens a searcher per document);
the rest of the stock index is added per batch of 500 (see build_stock).
With --stock-articles N < --articles the stock side indexes only the first N articles (and
its figures are at that smaller size); the report says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTRICTS = {
    "思明区": 30,
    "湖里区": 24,
    "集美区": 14,
    "海沧区": 10,
    "同安区": 9,
    "翔安区": 8,
    "": 5,
}
SOURCES = {"厦门日报": 30, "厦门晚报": 22, "厦门网": 18, "台海网": 10, "东南网": 10, "海峡导报": 10}
YEARS = {y: w for y, w in zip(range(2015, 2025), [3, 4, 5, 6, 8, 10, 12, 14, 17, 21], strict=True)}
KINDS = ("one_word", "two_words", "phrase", "filtered", "browse")


class Vocabulary:
    """Words of jieba's dictionary with cumulative frequencies, for weighted draws."""

    def __init__(self, limit: int = 60000) -> None:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
        rows = sorted((r for r in rows if len(r) >= 2), key=lambda r: -int(r[1]))[:limit]
        self.words = [r[0] for r in rows]
        self.cum: list[int] = []
        total = 0
        for r in rows:
            total += int(r[1])
            self.cum.append(total)

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """n article dicts: title, body (~1,500 characters), district, source, date."""
    rng, vocab = random.Random(seed), Vocabulary()
    out = []
    for i in range(n):
        district = _pick(rng, DISTRICTS)
        sentences = []
        while sum(map(len, sentences)) < rng.randint(900, 2100):
            words = vocab.draw(rng, rng.randint(6, 18))
            if district and rng.random() < 0.08:
                words.insert(rng.randrange(len(words)), district)
            sentences.append("".join(words) + rng.choice("，。。；"))
        year = _pick(rng, YEARS)
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        title = (district[:2] if district else "") + "".join(vocab.draw(rng, rng.randint(4, 8)))
        out.append({"title": title, "body": "\n".join(sentences), "district": district,
                    "source": _pick(rng, SOURCES), "date": date, "n": i})  # fmt: skip
    return out


def store(rows: list[dict[str, Any]]) -> None:
    from articles.models import Article, District, Source

    districts = {d.name: d for d in District.objects.all()}
    sources = {name: Source.objects.get_or_create(name=name, slug=f"s{i}")[0]
               for i, name in enumerate(SOURCES)}  # fmt: skip
    objs = [
        Article(title=r["title"], body=r["body"], published_date=r["date"],
                district=districts.get(r["district"]), source=sources[r["source"]],
                fingerprint=f"bench-{r['n']}", authors=[{"role": "记者", "name": "林晓"}])
        for r in rows
    ]  # fmt: skip
    Article.objects.bulk_create(objs, batch_size=1000)


def queries(rows: list[dict[str, Any]], count: int, seed: int = 11) -> dict[str, list[dict]]:
    """The same query set for both engines, drawn from the corpus text."""
    from search.analysis import query_terms

    rng = random.Random(seed)
    docs = rng.sample(rows, min(len(rows), count * 3))
    out: dict[str, list[dict]] = {k: [] for k in KINDS}
    for i in range(count):
        terms = [t for t in query_terms(docs[i]["body"][:300]) if len(t) >= 2]
        other = [t for t in query_terms(docs[i + count]["body"][:300]) if len(t) >= 2]
        first = query_terms(docs[i + 2 * count]["body"][:200])
        out["one_word"].append({"q": terms[0]})
        out["two_words"].append({"q": f"{terms[1]} {other[0]}"})
        out["phrase"].append({"q": f'"{"".join(first[2:4])}"'})
        district = [d for d in DISTRICTS if d][i % 6]
        out["filtered"].append({"q": terms[2], "district": district})
        out["browse"].append({"q": "", "district": district})
    return out


def ours(params: dict[str, Any]) -> int:
    from search.query import SearchParams, search_articles

    page = search_articles(SearchParams(**params))
    assert all(h.snippet is not None for h in page.hits)
    return page.total


def stock(params: dict[str, Any]) -> int:
    from haystack.query import SearchQuerySet

    sqs = SearchQuerySet(using="stock")
    sqs = sqs.auto_query(params["q"]) if params["q"] else sqs.all()
    if params.get("district"):
        sqs = sqs.filter(district=params["district"])
    sqs = sqs.facet("district").facet("source").facet("year").highlight().load_all()
    start = (params.get("page", 1) - 1) * 20
    results = list(sqs[start : start + 20])
    sqs.facet_counts()
    _ = [r.object.title for r in results if r.object is not None]
    return sqs.count()


def timed(fn: Callable[[dict], int], cases: list[dict]) -> dict[str, float]:
    for case in cases:  # warm-up pass
        fn(case)
    ms, totals = [], []
    for case in cases:
        start = time.perf_counter()
        totals.append(fn(case))
        ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50": round(statistics.median(ms), 1), "p95": round(p95, 1),
            "mean_total": round(sum(totals) / len(totals), 1)}  # fmt: skip


def build_stock(limit: int, per_doc: int) -> tuple[float, float]:
    """Index the first `limit` articles into the stock index. Returns (seconds for the first
    `per_doc` through stock update(), seconds for the rest added per batch of 500).

    Stock update() calls update_document, which opens a searcher per document and slows as
    the index grows (a 20k rebuild did not finish in 16 minutes), so only the first `per_doc`
    go that way; the rest are added with the stock backend's own document preparation and
    schema through one add_document writer per batch: the same index, built faster.
    """
    from haystack import connections

    from articles.models import Article

    backend = connections["stock"].get_backend()
    index = connections["stock"].get_unified_index().get_index(Article)
    ids = list(index.index_queryset().values_list("pk", flat=True)[:limit])
    start = time.perf_counter()
    backend.update(index, list(index.index_queryset().filter(pk__in=ids[:per_doc])))
    per_doc_s = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(per_doc, len(ids), 500):
        writer = backend.index.refresh().writer(limitmb=256)
        for obj in index.index_queryset().filter(pk__in=ids[i : i + 500]):
            doc = {k: backend._from_python(v) for k, v in index.full_prepare(obj).items()}
            doc.pop("boost", None)
            writer.add_document(**doc)
        writer.commit()
    return per_doc_s, time.perf_counter() - start


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--stock-articles", type=int, default=None)
    parser.add_argument("--queries", type=int, default=30, help="per kind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stock_n = min(args.stock_articles or args.articles, args.articles)

    data = Path(tempfile.mkdtemp(prefix="bench-search-"))
    os.environ.update(PORTAL_DATA_DIR=str(data), DJANGO_DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from haystack import connections

    from search import indexing

    connections.connections_info["stock"] = {
        "ENGINE": "bench.stock_engine.StockJiebaEngine", "PATH": str(data / "stock")}  # fmt: skip
    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"articles": args.articles, "stock_articles": stock_n}
    t = time.perf_counter()
    rows = generate(args.articles)
    store(rows)
    result["generate_store_s"] = round(time.perf_counter() - t, 1)
    result["text_mb"] = round(sum(len((r["title"] + r["body"]).encode()) for r in rows) / 1e6, 1)
    t = time.perf_counter()
    indexing.rebuild()
    result["ours_index_s"] = round(time.perf_counter() - t, 1)
    result["ours_index_per_s"] = round(args.articles / result["ours_index_s"], 1)
    result["ours_index_mb"] = dir_mb(data / "whoosh")
    per_doc = min(500, stock_n)
    per_doc_s, batch_s = build_stock(stock_n, per_doc)
    result["stock_update_per_s_first_500"] = round(per_doc / per_doc_s, 1)
    if stock_n > per_doc:
        result["stock_batch_add_per_s"] = round((stock_n - per_doc) / batch_s, 1)
    result["stock_index_mb"] = dir_mb(data / "stock")
    cases = queries(rows[:stock_n], args.queries)
    for kind in KINDS:
        result[f"ours_{kind}"] = timed(ours, cases[kind])
        result[f"stock_{kind}"] = timed(stock, cases[kind])
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:22} {value}")


if __name__ == "__main__":
    main()
