"""Import throughput through the real path (readers → cleaner → database → index).

    python bench/import_bench.py [PATH ...] [--year 2021] [--json]

Defaults to the shared corpus (../shared/corpus). Runs in a throw-away PORTAL_DATA_DIR, so the
checkout's own database and index are untouched. Reports articles/s for cleaning alone and for
the whole import, and the report's counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus")])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    os.environ["PORTAL_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-import-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import item_clean, iter_paths

    call_command("migrate", verbosity=0)
    items = list(iter_paths(args.paths))
    good = [i for i in items if not i.error]

    started = time.perf_counter()
    for item in good:
        item_clean(item, default_year=args.year)
    clean_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = articles_import_batch(items=items, default_year=args.year, label="bench")
    import_seconds = time.perf_counter() - started

    result = {
        "items": len(items),
        "imported": report.imported,
        "duplicates": report.duplicates,
        "needs_review": report.needs_review,
        "failed": report.failed,
        "clean_only_per_s": round(len(good) / clean_seconds, 1),
        "import_seconds": round(import_seconds, 1),
        "import_per_s": round(len(items) / import_seconds, 1),
        "data_dir": os.environ["PORTAL_DATA_DIR"],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:18} {value}")


if __name__ == "__main__":
    main()
