"""Load test: readers, an editor and an import at once against gunicorn on 127.0.0.1.

    python bench/load_test.py [--readers 16] [--seconds 60] [--articles 1500] [--json]

In a throw-away PORTAL_DATA_DIR: migrate, load the demo, import a base of generated articles,
then start gunicorn (portal/gunicorn.conf.py, 2 workers, production settings over plain HTTP)
and for --seconds run at the same time:
- N reader threads on the search page, /api/search (words, phrases, filters, browse, deep
  pages) and article pages, each request checked for its status and a piece of its content;
- one editor logged into /admin/ who saves one article's title again and again through the
  change form (a new number every save, about one save a second);
- `manage.py import_articles` on a folder of new generated pages.
Then it checks that nothing was lost: every request answered as expected, the editor's last
save is the title in the database and is what search finds, the import stored every page,
and `manage.py search_check` reports the database and the index in agreement. Exit status 1
when any check fails. Requests go only to 127.0.0.1; every loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").is_dir() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")

WORDS = (  # noqa: SIM905 (one line of words reads better than 75 quoted items)
    "厦门 湖里区 思明区 集美区 海沧区 同安区 翔安区 鼓浪屿 社区 志愿服务 文明城市 地铁 公交 "
    "学校 医院 公园 码头 台风 防汛 渔民 茶叶 企业 项目 签约 投资 市民 游客 老人 儿童 图书馆 "
    "展览 比赛 龙舟 马拉松 海湾 沙滩 大桥 隧道 机场 航班 高铁 工地 安置房 菜市场 夜市 "
    "海鲜 沙茶面 闽南 台湾 两岸 青年 创业 科技 软件园 自贸区 港口 集装箱 环保 垃圾分类 "
    "绿道 骑行 交通 停车 消防 演练 警方 提醒 天气 降雨 高温 疫苗 体检 招聘 就业 培训"
).split()
QUERIES = [
    "/api/search?q=湖里",
    "/api/search?q=志愿服务 社区",
    '/api/search?q="文明城市"',
    "/api/search?q=台风&district=湖里区",
    "/api/search?district=思明区",
    "/api/search?q=厦门&page=5",
    "/api/search?q=地铁 OR 公交&sort=newest",
    "/api/search?q=學校",
    "/search/?q=鼓浪屿",
    "/search/?q=海鲜&district=思明区",
    "/search/?year=2021",
    "/",
]
DISTRICTS = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
OUTLETS = ["厦门日报", "厦门晚报", "厦门网", "台海网", "东南网", "海峡导报"]


def generated_page(rng: random.Random, n: int) -> str:
    """A text page as a scraper saves it: title, meta line, paragraphs (unique by n)."""
    district = rng.choice(DISTRICTS)
    words = [rng.choice(WORDS) for _ in range(6)]
    title = f"{district}{''.join(words[:3])}第{n}期"
    date = f"20{rng.randint(15, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paras = []
    for p in range(4):
        sentence = "".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24)))
        paras.append(f"{district}{sentence}，编号{n}之{p}。")
    return f"{title}\n{date} 10:00:00    来源：{rng.choice(OUTLETS)}\n\n" + "\n".join(paras)


def write_pages(folder: Path, count: int, *, seed: int, start: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"page{n:06d}.txt").write_text(generated_page(rng, n), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(error)


class Client:
    """One keep-alive HTTP connection to 127.0.0.1 with its own cookies (secure ones too:
    the production settings mark cookies Secure, and this client talks plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        quoted = urllib.parse.quote(path, safe="/?&=%:+")
        for attempt in range(2):
            try:
                self.conn.request(method, quoted, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())


class FormParser(HTMLParser):
    """The fields of the admin change form, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            checkable = a.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in a:
                return
            self.fields.setdefault(name, []).append(a.get("value", "on" if checkable else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea][0] += data


def reader(client: Client, stats: Stats, article_ids: list[int], deadline: float, seed: int):
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        if rng.random() < 0.35:
            path, kind, expect = f"/articles/{rng.choice(article_ids)}/", "article", "<h1"
        else:
            path = rng.choice(QUERIES)
            kind = "api" if path.startswith("/api/") else "page"
            expect = '"total"' if kind == "api" else "</html>"
        started = time.perf_counter()
        try:
            status, text, _ = client.request("GET", path)
            error = None if status == 200 and expect in text else f"{status} {path}"
        except Exception as exc:  # a reader never stops on one failure: it is counted
            error = f"{type(exc).__name__} {path}"
        stats.record(kind, time.perf_counter() - started, error)


def editor(port: int, stats: Stats, article_id: int, deadline: float, saved: list[str]) -> None:
    """Log in and save the article's title with a new number about once a second."""
    client = Client(port)
    status, text, _ = client.request("GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    form = {"username": "loadeditor", "password": "load-editor-pw", "next": "/admin/"}
    status, _, _ = client.request(
        "POST", "/admin/login/", {**form, "csrfmiddlewaretoken": token[1]}
    )
    if status != 302:
        stats.errors.append(f"editor login failed: {status}")
        return
    path = f"/admin/articles/article/{article_id}/change/"
    n = 0
    while time.monotonic() < deadline:
        n += 1
        started = time.perf_counter()
        status, text, _ = client.request("GET", path)
        parser = FormParser()
        parser.feed(text)
        fields = parser.fields
        title = f"负载测试编辑保存第{n}次"
        fields["title"] = [title]
        fields.pop("_addanother", None)
        fields["_save"] = ["保存"]
        status, text, _ = client.request("POST", path, fields)
        if status == 302:
            saved.append(title)
            stats.record("editor-save", time.perf_counter() - started)
        else:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
            stats.record("editor-save", time.perf_counter() - started, f"save {status} {errors}")
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    if args[0] == "shell":
        args = (*args, "--no-imports")
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=1800,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--articles", type=int, default=1500, help="base articles before the test")
    parser.add_argument("--import-pages", type=int, default=4000, help="pages imported during it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(work / "data"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_TLS_PROXY": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    say(f"set-up in {work}")
    write_pages(work / "base", args.articles, seed=1, start=0)
    write_pages(work / "during", args.import_pages, seed=2, start=args.articles)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "import_articles", str(work / "base"), "--quiet-items")
    manage(env, "setup_editors")
    manage(
        env,
        "shell",
        "-c",
        (
            "from django.contrib.auth.models import Group, User;"
            "u = User.objects.create_user('loadeditor', password='load-editor-pw', is_staff=True);"
            "u.groups.add(Group.objects.get(name='editor'))"
        ),
    )
    ids = json.loads(
        manage(
            env,
            "shell",
            "-c",
            (
                "import json; from articles.models import Article;"
                "print(json.dumps(list(Article.objects.visible().values_list('pk', flat=True))))"
            ),
        ).stdout
    )
    target = ids[0]
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", "portal/gunicorn.conf.py", "portal.wsgi", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            try:
                Client(port).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        result = run_load(args, env, port, ids, target, work, say)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["server_errors"] = [
        line
        for line in (server.stderr.read() if server.stderr else "").splitlines()
        if "Traceback" in line or "ERROR" in line
    ][:10]
    ok = not result["errors"] and not result["server_errors"] and all(result["checks"].values())
    result["ok"] = ok
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0 if ok else 1


def run_load(args, env, port, ids, target, work, say) -> dict:
    stats = Stats()
    saved: list[str] = []
    say(f"load: {args.readers} readers, an editor and an import for {args.seconds:.0f} s")
    started = time.monotonic()
    deadline = started + args.seconds
    clients = [Client(port) for _ in range(args.readers)]
    threads = [
        threading.Thread(target=reader, args=(c, stats, ids, deadline, i))
        for i, c in enumerate(clients)
    ]
    threads.append(threading.Thread(target=editor, args=(port, stats, target, deadline, saved)))
    for t in threads:
        t.start()
    time.sleep(min(5, args.seconds / 4))
    import_started = time.monotonic()
    importer = subprocess.run(
        [PYTHON, "manage.py", "import_articles", str(work / "during"), "--quiet-items"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    import_seconds = time.monotonic() - import_started
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    say(f"import: {importer.stdout.strip()} in {import_seconds:.1f} s")
    return {
        "readers": args.readers,
        "seconds": round(elapsed, 1),
        "requests": {k: len(v) for k, v in stats.latencies.items()},
        "throughput_rps": round(
            sum(len(v) for k, v in stats.latencies.items() if k != "editor-save") / elapsed, 1
        ),
        "latency_ms": {
            k: {
                "p50": round(statistics.median(v) * 1000, 1),
                "p95": round(percentile(v, 0.95) * 1000, 1),
                "max": round(max(v) * 1000, 1),
            }
            for k, v in stats.latencies.items()
        },
        "editor_saves": len(saved),
        "import": {
            "summary": importer.stdout.strip(),
            "seconds": round(import_seconds, 1),
            "exit": importer.returncode,
        },
        "errors": stats.errors[:20],
        "error_count": len(stats.errors),
        "checks": final_checks(env, port, target, saved, importer, args.import_pages),
    }


def final_checks(env, port, target, saved, importer, pages) -> dict:
    """Nothing lost: the last save is stored and searchable, the import is whole, the index
    agrees with the database."""
    checks: dict[str, bool] = {}
    title = manage(
        env,
        "shell",
        "-c",
        (f"from articles.models import Article; print(Article.objects.get(pk={target}).title)"),
    ).stdout.strip()
    checks["last editor save is in the database"] = bool(saved) and title == saved[-1]
    status, text, _ = Client(port).request("GET", f'/api/search?q="{saved[-1]}"' if saved else "/")
    found = json.loads(text)["results"] if status == 200 and saved else []
    checks["last editor save is what search finds"] = [r["id"] for r in found] == [target]
    if not checks["last editor save is what search finds"]:
        print(f"search for the last save: {status} {text[:300]}", file=sys.stderr)
    checks["import stored every page"] = importer.returncode == 0 and bool(
        re.search(rf"导入 {pages} 篇", importer.stdout)
    )
    check = manage(env, "search_check", check=False)
    checks["search_check: database and index agree"] = check.returncode == 0
    return checks


if __name__ == "__main__":
    sys.exit(main())
