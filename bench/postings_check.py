"""The Whoosh engine's postings.py against Whoosh's own matchers on a kept benchmark data directory.

    python bench/postings_check.py --data bench/out/run-50000/data [--queries 40]

For every case of bench/run.py's query kinds (one word, two words, phrase, word + district,
deep page): the same documents, scores within 1e-6 and the same first 20, and the CPU time
of each. Exits 1 if any case differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    from bench.profile_search import open_data_dir

    open_data_dir(args.data)
    import numpy as np

    from bench.run import make_cases, sample_rows
    from search import query as q
    from search import querysyntax
    from search.engine import get_engine
    from search.engine.whoosh import postings, queries
    from search.engine.whoosh.index import _column_mask

    cases = make_cases(sample_rows(None, args.queries * 3, args.seed), args.queries, args.seed)
    state = get_engine().state
    searcher = state.searcher()
    arrays = state.arrays(searcher)
    checked = differ = 0
    whoosh_s = ours_s = 0.0
    for kind, kind_cases in cases.items():
        for case in kind_cases:
            if not case["q"]:
                continue
            params = q.SearchParams(**case)
            scored = queries.scored_query(querysyntax.parse(params.q), "text", "title")
            mask, _ = _column_mask(state, searcher, q._filters(params))
            start = time.process_time()
            top = searcher.search(
                postings.whoosh_equivalent(scored, arrays.evaluator), limit=None
            ).top_n
            whoosh_s += time.process_time() - start
            theirs = np.array([d for _, d in top], dtype=np.int64)
            their_scores = dict((d, s) for s, d in top)
            start = time.process_time()
            found = arrays.evaluator.evaluate(scored)
            ours_s += time.process_time() - start
            keep = mask[found.docs]
            docs, scores = found.docs[keep], found.scores[keep]
            theirs = theirs[mask[theirs]]
            mine = dict(zip(docs.tolist(), scores.tolist(), strict=True))
            same = (
                set(mine) == set(theirs.tolist())
                and all(abs(mine[d] - their_scores[d]) < 1e-6 for d in mine)
                and postings.ranked(docs, scores, 20).tolist() == theirs[:20].tolist()
            )
            checked += 1
            if not same:
                differ += 1
                print("differs:", kind, case, len(mine), len(theirs))
    print(
        f"{checked} queries, {differ} differ; CPU Whoosh {whoosh_s:.2f} s, "
        f"search/engine/whoosh/postings.py {ours_s:.2f} s"
    )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
