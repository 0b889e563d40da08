"""The benchmark anyone can run: corpus → real import → gunicorn /api/search → stock comparison.

    python bench/run.py --articles 2000 [--json]        # about a minute or two
    python bench/run.py --articles 100000 --stock-articles 5000

Steps, each in a throw-away PORTAL_DATA_DIR under bench/out/ (the checkout's data is untouched):
1. corpus: bench/corpus.py (deterministic, cached in bench/out/corpus-N-SEED.jsonl.gz).
2. import: `manage.py import_articles` in a subprocess (the real path: reader → cleaner →
   database → index), timed; articles/s, the largest process's peak RSS, index size against
   the UTF-8 size of the stored titles and bodies.
3. HTTP: gunicorn with portal/gunicorn.conf.py (2 sync workers, --preload, prod settings on
   127.0.0.1). Cold: time from spawning gunicorn to the first answered search (--cold-runs
   fresh starts). Warm: one pass over a separate warm-up query set, then every query of the
   timed set once (never seen before by the server, so no match-cache hits), per kind.
   Concurrency: 16 client threads for --concurrency-seconds. Worker USS/PSS from smaps_rollup.
4. stock: bench/search_compare.py's stock Haystack + Whoosh + jieba ChineseAnalyzer on the first
   --stock-articles articles of the same database, in-process, and ours in-process on the same
   cases for a like-for-like comparison.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402

PYTHON = sys.executable
KINDS = ("one_word", "two_words", "phrase", "filtered", "browse", "deep_page")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    if not ms:
        return {}
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50": round(statistics.median(ms), 1), "p95": round(p95, 1),
            "max": round(ms[-1], 1), "n": len(ms)}  # fmt: skip


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


# --- 2. import ---------------------------------------------------------------------------------


def run_import(corpus_path: Path, env: dict[str, str]) -> dict[str, Any]:
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    before = load()
    start = time.perf_counter()
    done = subprocess.run(
        [*manage, "import_articles", "--quiet-items", str(corpus_path)],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(seconds, 1), "summary": done.stdout.strip().splitlines()[-1],
            "peak_rss_mb": round(peak), "load_before": before, "load_after": load()}  # fmt: skip


# --- queries -----------------------------------------------------------------------------------


def make_cases(
    rows: list[dict[str, Any]], count: int, seed: int, *, warm: bool = False
) -> dict[str, list[dict]]:
    """search_compare.queries plus deep pages: a word's 10th page and browsing page 100.

    warm: the warm-up set browses by year and page 99 instead, so that no timed browse is
    a repeat of a warm-up one (the server would answer it from its caches).
    """
    from bench.search_compare import queries

    cases = queries(rows, count, seed=seed)
    cases["deep_page"] = [
        {"q": c["q"], "page": 10} if i % 2 else {"q": "", "page": 99 if warm else 100}
        for i, c in enumerate(cases["one_word"])
    ]
    if warm:
        cases["browse"] = [{"q": "", "year": 2015 + i % 10} for i in range(count)]
    return cases


def sample_rows(limit: int | None, k: int, seed: int) -> list[dict[str, Any]]:
    from articles.models import Article

    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:limit])
    chosen = random.Random(seed).sample(ids, min(k, len(ids)))
    bodies = Article.objects.filter(pk__in=chosen).values_list("body", flat=True)
    return [{"body": b} for b in bodies]


# --- 3. HTTP -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn -c portal/gunicorn.conf.py portal.wsgi on 127.0.0.1, prod settings."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
                    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                    "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
                    "DJANGO_BEHIND_TLS_PROXY": "0", "GUNICORN_LOG_LEVEL": "warning",
                    "DJANGO_LOG_LEVEL": "WARNING"}  # fmt: skip
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        cmd = [gunicorn, "-c", "portal/gunicorn.conf.py", "--access-logfile", "/dev/null",
               "portal.wsgi"]  # fmt: skip
        self.started = time.perf_counter()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        return self.started

    def get(self, params: dict[str, Any], timeout: float = 30) -> tuple[int, bytes]:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in ("", None)})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", "/api/search?" + query)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def first_search(self, params: dict[str, Any], deadline: float = 60) -> dict[str, float]:
        """Poll until a search answers: seconds from spawn, and that request's own time."""
        while time.perf_counter() - self.started < deadline:
            t = time.perf_counter()
            try:
                status, _ = self.get(params)
            except OSError:
                time.sleep(0.01)
                continue
            if status == 200:
                now = time.perf_counter()
                return {"from_start_s": round(now - self.started, 2),
                        "request_ms": round((now - t) * 1000, 1)}  # fmt: skip
            raise RuntimeError(f"first search answered {status}")
        raise RuntimeError("server did not answer in time; see " + str(self.log))

    def workers(self) -> list[int]:
        assert self.proc is not None
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) in MB from /proc/<pid>/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    anon = fields.get("Anonymous", 0)
    return {"rss": round(fields["Rss"] / 1024), "pss": round(fields["Pss"] / 1024),
            "uss": round(uss / 1024), "anon": round(anon / 1024)}  # fmt: skip


def http_warm(server: Server, warmup: dict[str, list], cases: dict[str, list]) -> dict[str, Any]:
    for kind in KINDS:
        for params in warmup[kind]:
            server.get(params)
    out: dict[str, Any] = {}
    for kind in KINDS:
        ms, totals, errors = [], [], 0
        for params in cases[kind]:
            t = time.perf_counter()
            status, body = server.get(params)
            ms.append((time.perf_counter() - t) * 1000)
            if status != 200:
                errors += 1
                continue
            totals.append(json.loads(body)["total"])
        out[kind] = {**percentiles(ms), "errors": errors,
                     "mean_total": round(sum(totals) / max(1, len(totals)), 1)}  # fmt: skip
    every = [p for kind in KINDS for p in cases[kind]]
    out["all"] = percentiles([])  # filled below from a second, mixed pass
    ms = []
    for params in every:
        t = time.perf_counter()
        server.get(params)
        ms.append((time.perf_counter() - t) * 1000)
    out["all"] = percentiles(ms)
    return out


def http_concurrent(
    server: Server, cases: list[dict], clients: int, seconds: float, *, distinct: bool = False
) -> dict:
    """Closed loop: each client sends its next search when the last one answered. distinct:
    client k takes cases k, k + clients, k + 2 * clients, … (no search is sent twice)."""
    done, errors, ms = [0], [0], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(k: int) -> None:
        i, step = (k, clients) if distinct else (k * 7, 1)
        while time.perf_counter() < stop_at and not (distinct and i >= len(cases)):
            params = cases[i % len(cases)]
            i += step
            t = time.perf_counter()
            try:
                status, _ = server.get(params)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                ms.append((time.perf_counter() - t) * 1000)
                done[0] += 1
                errors[0] += 0 if ok else 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {"clients": clients, "seconds": round(elapsed, 1), "searches": done[0],
            "per_s": round(done[0] / elapsed, 1), "errors": errors[0],
            "latency": percentiles(ms), "load": load()}  # fmt: skip


def run_http(
    env: dict[str, str], out: Path, cases: dict, warmup: dict, distinct: dict, args: Any
) -> dict:
    result: dict[str, Any] = {"cold": []}
    first = cases["one_word"][0]
    for _ in range(max(1, args.cold_runs)):
        server = Server(env, out / "gunicorn.log")
        server.start()
        try:
            result["cold"].append(server.first_search(first))
            result["memory_after_first_search"] = {p: memory(p) for p in server.workers()}
        finally:
            server.stop()
    server = Server(env, out / "gunicorn.log")
    server.start()
    try:
        server.first_search(first)
        # Each worker answers one search so both have opened the index.
        for params in cases["browse"][:4]:
            server.get(params)
        result["load_before_warm"] = load()
        result["warm"] = http_warm(server, warmup, cases)
        result["memory_after_warm"] = {p: memory(p) for p in server.workers()}
        # Every client cycles through the same 2 x 6 x --queries searches (popular queries
        # repeat, the page cache answers many), then every request is a search not seen before.
        mixed = [p for kind in KINDS for p in cases[kind] + warmup[kind]]
        result["concurrent"] = http_concurrent(server, mixed, 16, args.concurrency_seconds)
        fresh = [p for kind in KINDS for p in distinct[kind]]
        random.Random(5).shuffle(fresh)
        result["concurrent_distinct"] = http_concurrent(
            server, fresh, 16, args.concurrency_seconds, distinct=True
        )
        result["memory_after_concurrent"] = {p: memory(p) for p in server.workers()}
    finally:
        server.stop()
    return result


# --- 4. stock, in-process ----------------------------------------------------------------------


def run_stock(data: Path, stock_n: int, cases: dict[str, list]) -> dict[str, Any]:
    from haystack import connections

    from bench.search_compare import build_stock, ours, stock, timed

    connections.connections_info["stock"] = {
        "ENGINE": "bench.stock_engine.StockJiebaEngine", "PATH": str(data / "stock")}  # fmt: skip
    shutil.rmtree(data / "stock", ignore_errors=True)
    per_doc = min(200, stock_n)
    start = time.perf_counter()
    per_doc_s, batch_s = build_stock(stock_n, per_doc)
    result: dict[str, Any] = {
        "articles": stock_n,
        "build_s": round(time.perf_counter() - start, 1),
        "update_per_s_first": round(per_doc / per_doc_s, 1),
        "batch_add_per_s": round((stock_n - per_doc) / batch_s, 1) if stock_n > per_doc else None,
        "index_mb": dir_mb(data / "stock"),
        "load": load(),
    }
    from search import query
    from search.engine import get_engine

    def ours_uncached(params: dict[str, Any]) -> int:
        """Ours with the page and match caches emptied: timed() repeats each case."""
        query._PAGES.clear()
        get_engine().state.matches.clear()
        return ours(params)

    for kind in KINDS:
        result[f"stock_{kind}"] = timed(stock, cases[kind])
        result[f"ours_{kind}"] = timed(ours_uncached, cases[kind])
    return result


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=30, help="timed queries per kind")
    parser.add_argument("--stock-articles", type=int, default=2000, help="0: skip stock")
    parser.add_argument("--stock-queries", type=int, default=10, help="per kind")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--concurrency-seconds", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip corpus and import: reuse a kept data directory (and keep it again)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    out = ROOT / "bench" / "out" / f"run-{args.articles}"
    data = out / "data"
    previous = out / "result.json"
    if args.reuse and not (previous.exists() and (data / "db.sqlite3").exists()):
        parser.error(f"--reuse: no kept run in {out} (run once with --keep first)")
    imported = json.loads(previous.read_text())["import"] if args.reuse else None
    if not args.reuse:
        shutil.rmtree(out, ignore_errors=True)
        data.mkdir(parents=True)
    env = {**os.environ, "PORTAL_DATA_DIR": str(data), "DJANGO_DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "portal.settings.base"}  # fmt: skip
    env.pop("PORTAL_WHOOSH_PATH", None)
    result: dict[str, Any] = {"articles": args.articles, "cpus": os.cpu_count(), "load": load(),
                              "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}  # fmt: skip
    t = time.perf_counter()
    path = corpus.write(args.articles, args.seed, corpus.default_path(args.articles, args.seed))
    result["corpus"] = {"path": str(path), "seconds": round(time.perf_counter() - t, 1)}
    result["import"] = imported or run_import(path, env)

    os.environ.update({k: env[k] for k in ("PORTAL_DATA_DIR", "DJANGO_DEBUG")})
    os.environ["DJANGO_SETTINGS_MODULE"] = env["DJANGO_SETTINGS_MODULE"]
    import django

    django.setup()
    from articles.models import Article

    count = Article.objects.count()
    texts = Article.objects.values_list("title", "body").iterator()
    text_bytes = sum(len((t + b).encode()) for t, b in texts)
    imp = result["import"]
    imp.update(articles=count, per_s=round(count / imp["seconds"], 1),
               text_mb=round(text_bytes / 1e6, 1), index_mb=dir_mb(data / "whoosh"))  # fmt: skip
    imp["index_to_text"] = round(imp["index_mb"] / imp["text_mb"], 2)

    stock_n = min(args.stock_articles, count)
    rows = sample_rows(stock_n or None, args.queries * 3, seed=11)
    cases = make_cases(rows, args.queries, seed=11)
    warmup = make_cases(
        sample_rows(None, args.queries * 3, seed=23), args.queries, seed=23, warm=True
    )
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    many = max(args.queries, min(400, count // 3))
    distinct = make_cases(sample_rows(None, many * 3, seed=31), many, seed=31)
    result["http"] = run_http(env, out, cases, warmup, distinct, args)
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if stock_n:
        few = {kind: c[: args.stock_queries] for kind, c in cases.items()}
        result["stock"] = run_stock(data, stock_n, few)
    result["peak_rss_bench_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if not (args.keep or args.reuse):
        shutil.rmtree(data, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
