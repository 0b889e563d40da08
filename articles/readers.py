"""Turn the paths an editor names into raw items for the importer.

Files (.txt .htm .html .shtml), folders (recursively), .zip archives and JSON Lines
(.jsonl, .jsonl.gz: one object a line, with "raw" or with title/body/... fields).
Reading never raises for a bad file: it yields a RawItem with `error` set instead, so one
bad file is reported and the batch goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from articles.cleaning import CleanArticle, clean_page

PAGE_SUFFIXES = (".txt", ".htm", ".html", ".shtml", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
ZIP_SUFFIXES = (".zip",)
MAX_PAGE_BYTES = 20 * 1024 * 1024  # a single scraped page larger than this is not a news page
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024  # uncompressed, guards against zip bombs
HOSTNAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+", re.IGNORECASE)
BODY_ALIASES = ("content", "text")  # other scrapers' names for the body
HINT_FIELDS = (
    "title",
    "body",
    "published",
    "source",
    "site",
    "district",
    "url",
    "authors",
    "keywords",
    "captions",
)


@dataclass(frozen=True)
class RawItem:
    """One page to import, or the reason it cannot be."""

    name: str  # path, "archive.zip:inner/path.html" or "feed.jsonl:12"
    raw: bytes = b""
    text: str | None = None  # for jsonl records: the page text ("raw") if any
    hints: dict[str, object] = field(default_factory=dict)
    error: str = ""


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in JSONL_SUFFIXES + ZIP_SUFFIXES + PAGE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    return PurePosixPath(lower).suffix


def iter_paths(paths: Iterable[str | Path]) -> Iterator[RawItem]:
    """Every item under the given paths, folders walked in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix(child.name) in PAGE_SUFFIXES + JSONL_SUFFIXES + ZIP_SUFFIXES:
                    yield from iter_file(child)
        elif path.is_file():
            yield from iter_file(path)
        else:
            yield RawItem(name=str(path), error="文件不存在")


def iter_file(path: Path) -> Iterator[RawItem]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield RawItem(name=str(path), error=f"无法读取：{exc.strerror or exc}")
        return
    yield from iter_blob(str(path), data)


def iter_blob(name: str, data: bytes) -> Iterator[RawItem]:
    """Items from one named blob of bytes (a file, an upload or a zip entry)."""
    suffix = _suffix(name)
    if suffix in ZIP_SUFFIXES:
        yield from _iter_zip(name, data)
    elif suffix in JSONL_SUFFIXES:
        yield from _iter_jsonl(name, data)
    elif suffix in PAGE_SUFFIXES:
        yield _page_item(name, data)
    else:
        yield RawItem(
            name=name,
            error=f"不支持的文件类型“{suffix or '无扩展名'}”（可导入 txt、html、zip、jsonl）",
        )


def _page_item(name: str, data: bytes) -> RawItem:
    if not data.strip():
        return RawItem(name=name, error="文件是空的")
    if len(data) > MAX_PAGE_BYTES:
        return RawItem(
            name=name, error=f"文件过大（{len(data) // 1024 // 1024} MB），单个网页不能超过 20 MB"
        )
    if b"\x00" in data[:4096] and not _looks_utf16(data):
        return RawItem(name=name, error="不是文本或网页文件（二进制内容）")
    return RawItem(name=name, raw=data)


def _looks_utf16(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    if len(head) < 8:
        return False
    # BOM-less UTF-16: NULs sit at every other byte position.
    quarter = len(head) // 4
    return head[1::2].count(0) > quarter or head[0::2].count(0) > quarter


def _iter_zip(name: str, data: bytes) -> Iterator[RawItem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield RawItem(name=name, error=f"无法打开 zip 文件：{exc}")
        return
    total = 0
    for info in sorted(infos, key=lambda i: i.filename):
        inner = f"{name}:{info.filename}"
        if info.filename.startswith("__MACOSX/") or PurePosixPath(info.filename).name.startswith(
            "."
        ):
            continue
        if _suffix(info.filename) not in PAGE_SUFFIXES + JSONL_SUFFIXES:
            yield RawItem(name=inner, error="zip 中不支持的文件类型")
            continue
        total += info.file_size
        if info.file_size > MAX_PAGE_BYTES * 10 or total > MAX_ZIP_TOTAL_BYTES:
            yield RawItem(name=inner, error="zip 解压后过大，已跳过")
            continue
        try:
            blob = _read_capped(archive, info)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            yield RawItem(name=inner, error=f"无法解压：{exc}")
            continue
        yield from iter_blob(inner, blob)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read an entry, refusing to inflate beyond what its header declares (zip bombs lie)."""
    limit = info.file_size
    with archive.open(info) as handle:
        blob = handle.read(limit + 1)
    if len(blob) > limit:
        raise ValueError("解压后大小与声明不符")
    return blob


def _iter_jsonl(name: str, data: bytes) -> Iterator[RawItem]:
    if name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            yield RawItem(name=name, error=f"无法解压 gzip：{exc}")
            return
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            yield _jsonl_item(f"{name}:{number}", line)


def _jsonl_item(name: str, line: bytes) -> RawItem:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return RawItem(name=name, raw=line, error=f"不是有效的 JSON：{exc}")
    if not isinstance(record, dict):
        return RawItem(name=name, raw=line, error="每行应是一个 JSON 对象")
    hints = {k: record[k] for k in HINT_FIELDS if record.get(k) not in (None, "", [])}
    if isinstance(hints.get("source"), str) and HOSTNAME.fullmatch(str(hints["source"])):
        # Some scrapers put the link's host in "source"; the site is derived from the URL.
        del hints["source"]
    for alias in BODY_ALIASES:
        if "body" not in hints and isinstance(record.get(alias), str) and record[alias].strip():
            hints["body"] = record[alias]
    text = record.get("raw") or record.get("html")
    if text is not None and not isinstance(text, str):
        return RawItem(name=name, raw=line, error="“raw”字段应是字符串")
    if not text and not hints.get("body"):
        return RawItem(name=name, raw=line, error="缺少“raw”或“body”字段")
    return RawItem(name=name, raw=line, text=text, hints=hints)


def item_clean(item: RawItem, *, default_year: int | None) -> CleanArticle:
    """Run the cleaner on one item: a page's bytes, or a jsonl record's text and fields."""
    if item.text is None and not item.hints:
        return clean_page(item.raw, filename=item.name, default_year=default_year)
    return clean_page(
        item.text or "", filename=item.name, default_year=default_year, hints=item.hints
    )


def clean_job(args: tuple[RawItem, int | None]) -> CleanArticle | str | None:
    """For a worker process (no Django here): the item's CleanArticle, the repr of the
    cleaner's exception, or None for an item that is not cleaned (unreadable)."""
    item, default_year = args
    if item.error:
        return None
    try:
        return item_clean(item, default_year=default_year)
    except Exception as exc:
        return repr(exc)
