"""Full-page screenshots of every reader and editor page, at desktop and phone width.

Run against a server with the demo data in a throw-away data dir:

    export PORTAL_DATA_DIR=/tmp/ui-data
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py setup_editors --demo
    .venv/bin/python manage.py runserver 127.0.0.1:8055 &
    .venv/bin/python scripts/screenshots.py            # → screenshots/*.png, screenshots/report.txt

It writes to that server: one upload is previewed and then cancelled, and when the chosen
article has no edit in its history yet, "needs review" is switched on and off again so the
history shows a diff. Nothing else changes. Besides the pictures, report.txt lists what a
browser can measure: horizontal scroll, small tap targets below desktop width, form fields
without a label, skipped heading levels, duplicate ids, images without alt, requests to
other hosts, console errors. The focus-* pictures show where keyboard focus lands after Tab.

--not-found-url points at a second server started with DJANGO_DEBUG=0 (and runserver
--insecure for the static files) so the 404 page is the site's own, not Django's debug page.
--only REGEX takes some pictures; --widths desktop,tablet,phone picks the widths; --parts
also cuts tall pages into screen-sized pieces in screenshots/parts/ for an image viewer;
--article ID pictures that article (default: the one on the home page showing the most).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--lang=zh-CN",  # the date inputs' format follows the browser's language, not the page's
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "has_touch": True},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
}
MIN_TAP = 24  # px, WCAG 2.2 target size (minimum)
UPLOAD = (
    "集美区杏林湾举行龙舟邀请赛\n"
    "2023-06-22 09:30    来源:厦门晚报\n"
    "本报讯（记者 陈露）6月22日，集美区杏林湾龙舟邀请赛开赛，来自两岸的二十四支队伍参赛。\n"
    "集美区相关负责人表示，龙舟赛已连续举办十五届，成为两岸交流的一张名片。\n"
)

# Measured in the page: everything report.txt lists about one screenshot.
AUDIT_JS = r"""
(minTap) => {
  const doc = document.documentElement;
  const out = {hscroll: Math.max(doc.scrollWidth, document.body.scrollWidth) - window.innerWidth};
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const name = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.name || el.id || el.tagName).trim().slice(0, 30);
  out.small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < minTap || r.width < minTap) {
      // Inline links inside running text are exempt from the target-size rule.
      const inText = el.tagName === 'A' && el.closest('p, dd, li.delta, td') && getComputedStyle(el).display === 'inline';
      if (!inText) out.small.push(`${name(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  out.unlabelled = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')) {
    const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.title;
    if (!labelled) out.unlabelled.push(el.name || el.id || el.type);
  }
  out.headings = [];
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (!visible(h) && !h.closest('details')) continue;
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) out.headings.push(`h${last}→h${level} ${h.innerText.trim().slice(0, 20)}`);
    last = level;
  }
  out.h1 = document.querySelectorAll('h1').length;
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  out.dupIds = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  out.noAlt = [...document.querySelectorAll('img:not([alt])')].map((img) => img.src.split('/').pop());
  out.lang = doc.lang;
  out.overflow = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && visible(el) && !el.closest('.table-scroll, pre, .raw-text')) {
      out.overflow.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 50));
      if (out.overflow.length > 4) break;
    }
  }
  return out;
}
"""


@dataclass
class Shot:
    name: str
    url: str
    prepare: Callable[[Page], None] | None = None  # runs after goto, before the picture
    editor: bool = True  # admin pages need the logged-in context
    full_page: bool = True  # False: only the screen, where the keyboard focus is


@dataclass
class Run:
    base: str
    out: Path
    report: list[str] = field(default_factory=list)
    foreign: set[str] = field(default_factory=set)
    parts: bool = False


def api(base: str, **params: str) -> dict:
    url = f"{base}/api/search?{urllib.parse.urlencode(params)}"
    for attempt in range(60):  # a development server may be restarting after a code change
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.load(response)
        except urllib.error.URLError:
            if attempt == 59:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def reader_shots(base: str, page: Page, article_id: int | None = None) -> list[Shot]:
    """Reader URLs, found from the data: the newest article, a district, a source, a month."""
    everything = api(base, page_size="1", sort="newest")
    article_id = article_id or richest_article(base, page)
    month = everything["facets"]["month"][0]["value"] if everything["facets"]["month"] else ""
    district = everything["facets"]["district"][0]["value"]
    source = everything["facets"]["source"][0]["value"]
    # A query with more than one page of hits, for page 2.
    word = next(
        (w for w in ("厦门", "市民", "项目") if api(base, q=w, page_size="1")["total"] > 20), ""
    )
    goto(page, f"{base}/")
    district_url = page.locator(".district-grid a").first.get_attribute("href")
    source_url = page.locator("[aria-labelledby=sources-title] a").first.get_attribute("href")
    year, mon = month.split("-") if month else ("", "")
    q = urllib.parse.quote
    shots = [
        Shot("home", "/"),
        Shot("search-query", f"/search/?q={q('志愿服务')}"),
        Shot("search-filters", f"/search/?q={q('厦门')}&district={q(district)}&source={q(source)}"),
        Shot("search-browse-year", f"/search/?year={year}" if year else "/search/"),
        Shot("search-empty", f"/search/?q={q('火星殖民基地')}&district={q(district)}"),
        Shot("search-page2", f"/search/?q={q(word)}&page=2" if word else "/search/?page=2"),
        Shot("search-bad-params", "/search/?q=x&month=2021-13&sort=up"),
        Shot("article", f"/articles/{article_id}/"),
        Shot("district", district_url or "/"),
        Shot("source", source_url or "/"),
        Shot("archive", "/archive/"),
    ]
    shots += [
        Shot("focus-skip-link", "/", prepare=tab_presses(1), full_page=False),
        Shot(
            "focus-search-facet",
            f"/search/?q={q('志愿服务')}",
            prepare=tab_presses(9),
            full_page=False,
        ),
    ]
    if year:
        shots += [Shot("archive-year", f"/archive/{year}/")]
        shots += [Shot("archive-month", f"/archive/{year}/{int(mon)}/")]
    return [dataclasses.replace(s, editor=False) for s in shots]


def editor_shots(base: str, page: Page, article_id: int) -> list[Shot]:
    district = page_district_id(base, page)
    admin = "/admin/articles/article"
    history_diff = ensure_history_diff(base, page, article_id)
    job_url = import_preview(base, page)
    return [
        Shot("admin-index", "/admin/"),
        Shot("admin-list", f"{admin}/"),
        Shot("focus-admin-list", f"{admin}/", prepare=tab_presses(8), full_page=False),
        Shot(
            "admin-list-filtered",
            f"{admin}/?district__id__exact={district}&needs_review__exact=0&q=%E5%8E%A6%E9%97%A8",
        ),
        Shot("admin-change", f"{admin}/{article_id}/change/"),
        Shot("admin-history", f"{admin}/{article_id}/history/"),
        Shot("admin-history-version", history_diff),
        Shot("admin-deleted", f"{admin}/deleted/"),
        Shot("admin-import", f"{admin}/import/"),
        Shot("admin-import-refused", f"{admin}/import/", prepare=upload_refused),
        Shot("admin-import-preview", job_url),
        Shot("admin-bulk-confirm", f"{admin}/", prepare=bulk_confirm),
    ]


def page_district_id(base: str, page: Page) -> str:
    goto(page, f"{base}/admin/articles/article/")
    link = page.locator("#changelist-filter a[href*='district__id__exact']").first
    href = link.get_attribute("href") or ""
    match = re.search(r"district__id__exact=(\d+)", href)
    return match.group(1) if match else ""


def ensure_history_diff(base: str, page: Page, article_id: int) -> str:
    """The URL of the newest version of the article, after making one edit if it had none."""
    history = f"{base}/admin/articles/article/{article_id}/history/"
    goto(page, history)
    if page.locator("#change-history tbody tr").count() < 2:
        for _ in range(2):  # on, then off again: the article ends as it was
            goto(page, f"{base}/admin/articles/article/{article_id}/change/")
            page.locator("#id_needs_review").click()
            page.locator("input[name=_continue]").click()
            page.wait_for_load_state()
        goto(page, history)
    href = page.locator("#change-history tbody tr a").first.get_attribute("href")
    return href or history.removeprefix(base)


def import_preview(base: str, page: Page) -> str:
    """Upload one page, wait for the preview; the job is cancelled after its picture."""
    goto(page, f"{base}/admin/articles/article/import/")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "杏林湾龙舟赛.txt"
        path.write_text(UPLOAD, encoding="gb18030")
        page.locator("input[type=file]").set_input_files(str(path))
        page.locator("#import-form input[type=submit]").click()
        page.wait_for_url(re.compile(r"/import/\d+/$"))
    deadline = time.time() + 60
    while time.time() < deadline and "previewed" not in (
        page.locator(".import-job").get_attribute("data-state") or ""
    ):
        time.sleep(1)
        page.reload()
    return page.url.removeprefix(base)


def upload_refused(page: Page) -> None:
    """Upload a file the import refuses (binary in a .txt): the form shows why; nothing stored."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "扫描件.txt"
        path.write_bytes(bytes(range(256)) * 8)
        page.locator("input[type=file]").set_input_files(str(path))
        with page.expect_navigation():
            page.locator("#import-form input[type=submit]").click()


def cancel_import(base: str, page: Page, job_url: str) -> None:
    goto(page, base + job_url)
    cancel = page.locator("form[action*='cancel'] input[type=submit]")
    if cancel.count():
        cancel.first.click()
        page.wait_for_load_state()


def tab_presses(count: int) -> Callable[[Page], None]:
    """Press Tab count times from the top: the picture shows where keyboard focus is."""

    def press(page: Page) -> None:
        for _ in range(count):
            page.keyboard.press("Tab")

    return press


def bulk_confirm(page: Page) -> None:
    """Tick two articles and ask to set their district: the confirmation page."""
    page.locator("#result_list tbody input.action-select").nth(0).check()
    page.locator("#result_list tbody input.action-select").nth(1).check()
    page.locator("select[name=action]").select_option("set_district")
    page.locator(
        "button[name=index], input[name=index], .actions button[type=submit]"
    ).first.click()
    page.wait_for_load_state()


def console_watcher(page: Page, errors: list[str]) -> Callable:
    def watch(message) -> None:
        # The 404 page's own status shows up as a console error; it is not one.
        if message.type == "error" and "status of 404" not in message.text:
            errors.append(f"{page.url}: {message.text}")

    return watch


def richest_article(base: str, page: Page) -> int:
    """The article on the home page with the most parts shown (keywords, captions, link…)."""
    goto(page, f"{base}/")
    links = page.locator(".results .result__title a").evaluate_all("els => els.map(e => e.href)")
    parts = ".article__keywords, .article__captions, .article__original, .article-side li"
    best, best_score = 0, -1
    for href in links:
        goto(page, href)
        score = page.locator(parts).count()
        if score > best_score:
            best, best_score = int(href.rstrip("/").rsplit("/", 1)[1]), score
    return best


def login(base: str, page: Page, user: str, password: str) -> None:
    for attempt in range(3):  # the POST may hit a development server in mid-restart
        goto(page, f"{base}/admin/login/?next=/admin/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.locator("#login-form [type=submit]").click()
        try:
            page.wait_for_url(f"{base}/admin/", timeout=20_000)
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def goto(page: Page, url: str, tries: int = 60):
    """page.goto, waiting out a development server that is restarting after a code change."""
    for attempt in range(tries):
        try:
            return page.goto(url)
        except PlaywrightError as error:
            restarting = "ERR_CONNECTION_REFUSED" in str(error) or "ERR_CONNECTION_RESET" in str(
                error
            )
            if not restarting or attempt == tries - 1:
                raise
            time.sleep(1)
    return None


def snap(run: Run, page: Page, shot: Shot, width: str, base: str | None = None) -> None:
    response = goto(page, (base or run.base) + shot.url)
    if shot.prepare:
        shot.prepare(page)
    page.wait_for_load_state("networkidle")
    status = response.status if response else "?"
    path = run.out / f"{shot.name}-{width}.png"
    page.screenshot(path=str(path), full_page=shot.full_page)
    if run.parts and shot.full_page:
        save_parts(page, run.out / "parts", path.stem)
    audit = page.evaluate(AUDIT_JS, MIN_TAP)
    problems = []
    if audit["hscroll"] > 0:
        problems.append(f"horizontal scroll {audit['hscroll']}px: {', '.join(audit['overflow'])}")
    if width != "desktop" and audit["small"]:
        problems.append(f"{len(audit['small'])} small tap targets: {'; '.join(audit['small'][:6])}")
    if audit["unlabelled"]:
        problems.append(f"unlabelled fields: {', '.join(audit['unlabelled'])}")
    if audit["headings"]:
        problems.append(f"heading levels skipped: {'; '.join(audit['headings'])}")
    if audit["dupIds"]:
        problems.append(f"duplicate ids: {', '.join(audit['dupIds'])}")
    if audit["noAlt"]:
        problems.append(f"images without alt: {', '.join(audit['noAlt'][:5])}")
    if audit["h1"] != 1:
        problems.append(f"{audit['h1']} h1 elements")
    if not audit["lang"].startswith("zh"):
        problems.append(f"lang={audit['lang']!r}")
    line = f"{path.name} [{status}] {page.url}"
    run.report.append(line + "".join(f"\n    - {p}" for p in problems))
    print(run.report[-1], flush=True)


def save_parts(page: Page, folder: Path, stem: str) -> None:
    """A tall page cut into screen-sized pieces, readable in an image viewer at full size."""
    folder.mkdir(exist_ok=True)
    for old in folder.glob(f"{stem}.*.png"):
        old.unlink()
    width = page.viewport_size["width"] if page.viewport_size else 1280
    height = page.evaluate("document.documentElement.scrollHeight")
    step = 1400 if width < 600 else 900
    for number, top in enumerate(range(0, height, step), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(step, height - top)}
        page.screenshot(path=str(folder / f"{stem}.{number}.png"), full_page=True, clip=clip)


def new_context(browser: Browser, run: Run, width: str, errors: list[str]) -> BrowserContext:
    # An editor in Xiamen: the admin's "you are 8 hours behind" note does not apply.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[width])
    host = urllib.parse.urlsplit(run.base).hostname

    def watch(request) -> None:
        request_host = urllib.parse.urlsplit(request.url).hostname
        if request_host and request_host not in {host, "127.0.0.1", "localhost"}:
            run.foreign.add(request.url)

    context.on("request", watch)
    context.on("weberror", lambda e: errors.append(str(e.error)))
    return context


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8055")
    parser.add_argument("--not-found-url", help="a DJANGO_DEBUG=0 server for the 404 page")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--user", default="editor")
    parser.add_argument("--password", default="editor-demo")
    parser.add_argument("--article", type=int, help="this article id (default: the richest)")
    parser.add_argument(
        "--widths", default="desktop,phone", help=f"a comma list of {', '.join(VIEWPORTS)}"
    )
    parser.add_argument("--parts", action="store_true", help="also cut tall pages into parts/")
    parser.add_argument("--only", help="a regular expression: only shots whose name matches")
    args = parser.parse_args()
    run = Run(base=args.base_url.rstrip("/"), out=args.out, parts=args.parts)
    run.out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    only = re.compile(args.only) if args.only else None

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        setup = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        setup_page = setup.new_page()
        readers = reader_shots(run.base, setup_page, args.article)
        login(run.base, setup_page, args.user, args.password)
        article_id = int(next(s.url for s in readers if s.name == "article").split("/")[2])
        editors = editor_shots(run.base, setup_page, article_id)
        job_url = next(s.url for s in editors if s.name == "admin-import-preview")
        for width in args.widths.split(","):
            context = new_context(browser, run, width, errors)
            page = context.new_page()
            page.on("console", console_watcher(page, errors))
            for shot in readers:
                if not only or only.search(shot.name):
                    snap(run, page, shot, width)
            if not only or only.search("not-found"):
                snap(run, page, Shot("not-found", "/articles/99999999/"), width, args.not_found_url)
            if not only or only.search("admin-login"):
                snap(run, page, Shot("admin-login", "/admin/login/?next=/admin/"), width)
            login(run.base, page, args.user, args.password)
            for shot in editors:
                if not only or only.search(shot.name):
                    snap(run, page, shot, width)
            context.close()
        cancel_import(run.base, setup_page, job_url)
        browser.close()

    feed = urllib.request.urlopen(f"{run.base}/feeds/latest/", timeout=30)
    kind = feed.headers.get("Content-Type", "")
    run.report.append(f"feed /feeds/latest/: {kind}, starts {feed.read(60)!r}")
    run.report.append("requests to other hosts: " + (", ".join(sorted(run.foreign)) or "none"))
    run.report.append("console/page errors: " + ("; ".join(errors) or "none"))
    (run.out / "report.txt").write_text("\n".join(run.report) + "\n", encoding="utf-8")
    print("\n".join(run.report[-3:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
