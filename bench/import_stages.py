"""CPU time per article of each import stage, in one process (robust to a busy machine).

    python bench/import_stages.py [--articles 1000] [--json]

Uses the first N records of bench/corpus.py's corpus and a throw-away PORTAL_DATA_DIR.
Measures CPU time (this process and its finished children: cleaning runs in-process here,
workers=1, and the index writer in one worker process, WRITER_PROCS=1), so the figures are
CPU cost, not wall time:
- clean: the cleaner on every item (articles.importing.readers.item_clean);
- import: articles_import_batch (clean + store + the index write at the end);
- store: import - clean - index (database rows, the update queue, history);
- index: search.indexing.rebuild() of the same articles (prepare + analyze + Whoosh);
  of which prepare (full_prepare + whoosh_document) and analyze (segment() of every text
  field) are measured on their own; whoosh = index - prepare - analyze.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    source = corpus.write(2000, 7, corpus.default_path(2000, 7))
    data = Path(tempfile.mkdtemp(prefix="bench-stages-", dir=ROOT / "bench" / "out"))
    head = data / "corpus.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as src, gzip.open(head, "wt") as dst:
        for _, line in zip(range(args.articles), src, strict=False):
            dst.write(line)
    os.environ.update(PORTAL_DATA_DIR=str(data), DJANGO_DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from haystack import connections

    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import item_clean, iter_paths
    from articles.models import Article
    from search import indexing
    from search.analysis import segment
    from search.engine.whoosh import index as whoosh_index
    from search.engine.whoosh.engine import whoosh_document

    whoosh_index.WRITER_PROCS = 1
    whoosh_index.PARALLEL_MIN_BATCHES = 0  # the bulk writer, as imports of more articles use
    call_command("migrate", verbosity=0)
    items = list(iter_paths([head]))
    cpu: dict[str, float] = {}
    t = _cpu()
    for item in items:
        item_clean(item, default_year=None)
    cpu["clean"] = _cpu() - t
    t = _cpu()
    articles_import_batch(items=items, label="stages", workers=1)
    cpu["import"] = _cpu() - t
    n = Article.objects.count()

    index = connections["default"].get_unified_index().get_index(Article)
    t = _cpu()
    docs = [whoosh_document(index.full_prepare(obj)) for obj in index.index_queryset()]
    cpu["prepare"] = _cpu() - t
    text_fields = [k for k, f in index.fields.items() if getattr(f, "field_type", "") == "text"]
    t = _cpu()
    for doc in docs:
        for name in text_fields:
            if doc.get(name):
                segment(doc[name], stacked=True)
    cpu["analyze"] = _cpu() - t
    t = _cpu()
    indexing.rebuild()
    cpu["index"] = _cpu() - t
    cpu["store"] = cpu["import"] - cpu["clean"] - cpu["index"]
    cpu["whoosh"] = cpu["index"] - cpu["prepare"] - cpu["analyze"]
    result = {
        "articles": n,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "cpu_ms_per_article": {k: round(v / n * 1000, 2) for k, v in cpu.items()},
    }
    result["one_core_articles_per_s"] = round(1000 / result["cpu_ms_per_article"]["import"], 1)
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 1))


if __name__ == "__main__":
    main()
