"""CPU time of our search, in-process, on a kept benchmark data directory, per kind.

    python bench/profile_search.py --data bench/out/run-50000/data [--queries 30] [--profile]

The same cases as bench/run.py (bench.run.make_cases on a sample of the stored articles),
with the page and match caches emptied before every search, so each is answered from the
index. Prints p50 / p95 / mean of CPU milliseconds per kind (process time: it holds on a
busy machine) and, with --profile, the top functions of a cProfile run over all of them.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def open_data_dir(data: Path) -> None:
    """Django on a kept benchmark data directory (bench/run.py --keep): its database and index."""
    os.environ.update(PORTAL_DATA_DIR=str(data.resolve()), DJANGO_DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--kinds", default="")
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        help="cases from the first N articles (bench/run.py: --stock-articles, seed 11)",
    )
    parser.add_argument("--callers", default="", help="with --profile: who calls this function")
    args = parser.parse_args()
    open_data_dir(args.data)
    from bench.run import make_cases, sample_rows
    from bench.search_compare import ours
    from search import query
    from search.engine import get_engine

    rows = sample_rows(args.sample or None, args.queries * 3, args.seed)
    cases = make_cases(rows, args.queries, args.seed)
    state = get_engine().state
    ours({"q": "厦门"})  # open the searcher and its arrays

    def one(params: dict) -> float:
        query._PAGES.clear()
        state.matches.clear()
        start = time.process_time()
        ours(params)
        return (time.process_time() - start) * 1000

    kinds = args.kinds.split(",") if args.kinds else list(cases)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    for kind in kinds:
        if profiler:
            profiler.enable()
        ms = sorted(one(p) for p in cases[kind])
        if profiler:
            profiler.disable()
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        print(f"{kind:10} p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  "
              f"mean {statistics.fmean(ms):7.1f} ms CPU")  # fmt: skip
    if profiler:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(35)
        if args.callers:
            stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
