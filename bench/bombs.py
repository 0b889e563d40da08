"""Compression bombs through the real entry points: peak memory and time of each.

    .venv/bin/python bench/bombs.py [--json]

Each case runs in a fresh process (its peak RSS is its own): `manage.py import_articles` on a
file, and an admin upload through Django's test client with the preview run inline, against a
throwaway data directory. Baseline: the same entry point on one honest page.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = ('{"title": "炸弹", "body": "' + "厦门" * 100 + '"}\n').encode()
PAGE = (
    "湖里区禾山街道开展垃圾分类志愿服务\n2021-11-13 09:11:07    来源:厦门日报\n"
    "本报讯（记者 林晓东）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。\n责任编辑:王芳\n"
).encode()

TIME_LIMIT = 90  # seconds: a case still running then is stopped and its peak so far reported

UPLOAD = """
import io, resource, sys, time, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.contrib.auth import get_user_model
settings.PORTAL_IMPORT_SYNC = True
settings.ALLOWED_HOSTS = ["testserver"]
call_command("migrate", verbosity=0)
user = get_user_model().objects.create_superuser("bench", password="x")
client = Client()
client.force_login(user)
name, path = sys.argv[1], sys.argv[2]
handle = io.BytesIO(open(path, "rb").read())
handle.name = name
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
response = client.post("/admin/articles/article/import/", {"files": [handle]})
took = time.perf_counter() - start
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, took, response.status_code)
"""


def gzip_bomb(megabytes: int) -> bytes:
    member = gzip.compress(LINE * (8 * 1024 * 1024 // len(LINE)), compresslevel=9)
    return member * (megabytes // 8)


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CASES = {
    "page.txt": lambda: PAGE,
    "feed.jsonl.gz": lambda: gzip_bomb(2048),
    "nested.zip": lambda: zip_of({"feeds/day.jsonl.gz": gzip_bomb(2048)}),
    "pages.zip": lambda: zip_of({"big.html": b"<p>" * (600 * 1024 * 1024 // 3)}),
}


def env(data_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEARCH_URL")}
    clean.update(PORTAL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="portal.settings.test")
    return clean


def measure(command: list[str], data_dir: Path) -> tuple[float, float, str]:
    """(peak RSS in MB, seconds, last output line) of a command in a fresh process."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter()\n"
        "try:\n"
        "    p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=LIMIT)\n"
        "    out = (p.stdout + p.stderr).strip().splitlines() or ['']\n"
        "except subprocess.TimeoutExpired:\n"
        "    out = ['stopped after LIMIT s']\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)\n"
        "print(out[-1])\n"
    ).replace("LIMIT", str(TIME_LIMIT))
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        cwd=ROOT,
        env=env(data_dir),
        capture_output=True,
        text=True,
        timeout=1200,
    ).stdout.splitlines()
    rss, seconds = out[0].split()
    return int(rss) / 1024, float(seconds), out[1] if len(out) > 1 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--make", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        for name, make in CASES.items():
            (Path(args.make) / name).write_bytes(make())
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The files are made in a child process: a peak RSS carries over fork and exec, so
        # this process must stay small for the children's figures to be their own.
        subprocess.run([sys.executable, __file__, "--make", str(folder)], check=True)
        for name in CASES:
            data = (folder / name).read_bytes()
            data_dir = folder / f"data-{name}"
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v", "0"],
                cwd=ROOT,
                env=env(data_dir),
                check=True,
            )
            command = ["import_articles", "--workers", "1", str(folder / name)]
            rss, seconds, line = measure([sys.executable, "manage.py", *command], data_dir)
            results.append(
                {
                    "case": name,
                    "via": "command",
                    "file_mb": len(data) / 1e6,
                    "peak_rss_mb": rss,
                    "seconds": seconds,
                    "output": line,
                }
            )
            start = time.perf_counter()
            try:
                up = subprocess.run(
                    [sys.executable, "-c", UPLOAD, name, str(folder / name)],
                    cwd=ROOT,
                    env=env(folder / f"up-{name}"),
                    capture_output=True,
                    text=True,
                    timeout=TIME_LIMIT,
                )
                fields = (up.stdout.strip().splitlines() or ["0 0 0 0"])[-1].split()
            except subprocess.TimeoutExpired:
                up = subprocess.CompletedProcess([], 1, "", f"stopped after {TIME_LIMIT} s")
                fields = [
                    "0",
                    str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
                    "nan",
                    "-",
                ]
            results.append(
                {
                    "case": name,
                    "via": "upload",
                    "file_mb": len(data) / 1e6,
                    "peak_rss_mb": int(fields[1]) / 1024,
                    "baseline_rss_mb": int(fields[0]) / 1024,
                    "seconds": float(fields[2]),
                    "status": fields[3],
                    "wall": time.perf_counter() - start,
                    "error": up.stderr[-300:] if up.returncode else "",
                }
            )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for r in results:
        extra = (
            f"(before the post {r['baseline_rss_mb']:.0f} MB)"
            if r["via"] == "upload"
            else r["output"]
        )
        print(
            f"{r['case']:14} {r['via']:8} {r['file_mb']:7.2f} MB file  peak {r['peak_rss_mb']:7.0f} MB"
            f"  {r['seconds']:6.2f} s  {extra} {r.get('error', '')}"
        )


if __name__ == "__main__":
    main()
