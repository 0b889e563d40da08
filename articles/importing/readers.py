"""Turn the paths an editor names, or the files an editor uploads, into raw items to import.

Files (.txt .htm .html .shtml), folders (recursively), .zip archives and JSON Lines
(.jsonl, .jsonl.gz: one object a line, with "raw" or with title/body/... fields), a .jsonl.gz
inside a .zip too. The command line and the admin upload read through this one module with one
set of limits (LIMITS):

- every compressed layer (zip entry, gzip stream) is inflated as a stream, through a running
  cap on the bytes it has produced for the whole file and a cap on its ratio to the compressed
  bytes read, so a bomb is refused after a few megabytes, in memory of one chunk;
- a compressed file is checked whole (every layer inflated to the end, CRCs checked) before its
  first item is given out, so a bomb or a corrupt archive is refused as one file, named, and
  never half imported.

Reading never raises for a bad file: it yields a RawItem with `error` set instead, so one bad
file is reported and the batch goes on. `blob_problem` is the stricter check an upload must
pass before it is stored at all.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from articles.cleaning import CleanArticle, clean_page
from articles.cleaning.encoding import REPLACEMENT, decode_bytes

PAGE_SUFFIXES = (".txt", ".htm", ".html", ".shtml", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
ZIP_SUFFIXES = (".zip",)
ACCEPTED_SUFFIXES = PAGE_SUFFIXES + ZIP_SUFFIXES + JSONL_SUFFIXES
UNSUPPORTED = "不支持的文件类型“{suffix}”（可导入 txt、html、zip、jsonl、jsonl.gz）"
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
CHUNK = 1024 * 1024
MAX_BAD_CHAR_SHARE = 0.01  # more undecodable characters than this: not a Chinese text file
ZIP_UTF8_FLAG = 0x800
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may expand to. Real news compresses 2.4-4.5x (gzip, the shared corpus)."""

    page_bytes: int = 20 * MB  # one page, or one jsonl line: larger is not a news page
    expanded_bytes: int = 4096 * MB  # all layers of one file together (500k articles ~ 3 GB)
    ratio: int = 100  # inflated / compressed bytes of one layer, once past ratio_floor
    ratio_floor: int = 1 * MB


LIMITS = Limits()


@dataclass(frozen=True)
class RawItem:
    """One page to import, or the reason it cannot be."""

    name: str  # path, "archive.zip:inner/path.html" or "feed.jsonl:12"
    raw: bytes = b""
    text: str | None = None  # for jsonl records: the page text ("raw") if any
    hints: dict[str, object] = field(default_factory=dict)
    error: str = ""


class Refused(Exception):
    """A file that is not read any further; the message says why, naming the inner entry."""


Opener = Callable[[], BinaryIO]


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ACCEPTED_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    return PurePosixPath(lower).suffix


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


# --- Entry points ------------------------------------------------------------------------------


def iter_paths(paths: Iterable[str | Path], *, limits: Limits = LIMITS) -> Iterator[RawItem]:
    """Every item under the given paths, folders walked in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix(child.name) in ACCEPTED_SUFFIXES:
                    yield from iter_file(child, limits=limits)
        elif path.is_file():
            yield from iter_file(path, limits=limits)
        else:
            yield RawItem(name=str(path), error="文件不存在")


def iter_file(path: Path, *, limits: Limits = LIMITS) -> Iterator[RawItem]:
    """The items of one file on disk, read as a stream (a large feed is never held whole)."""
    try:
        path.open("rb").close()
    except OSError as exc:
        yield RawItem(name=str(path), error=f"无法读取：{exc.strerror or exc}")
        return
    yield from _iter_opened(str(path), lambda: path.open("rb"), limits)


def iter_blob(name: str, data: bytes, *, limits: Limits = LIMITS) -> Iterator[RawItem]:
    """Items from one named blob of bytes (an upload, or a stored raw page)."""
    yield from _iter_opened(name, lambda: io.BytesIO(data), limits)


def blob_problem(name: str, data: bytes, *, limits: Limits = LIMITS) -> str:
    """Why an uploaded file cannot be imported at all, or "" when it can.

    ("a.doc", b"...") → "不支持的文件类型“.doc”…"; ("a.txt", b"") → "文件是空的";
    a zip whose entry inflates 1000x → "zip 中的“x.txt”解压后超过压缩前的 100 倍…".
    """
    suffix = _suffix(name)
    if suffix not in ACCEPTED_SUFFIXES:
        return UNSUPPORTED.format(suffix=suffix or "无扩展名")
    if not data.strip():
        return "文件是空的"
    opener: Opener = lambda: io.BytesIO(data)  # noqa: E731
    try:
        _check_layers(name, opener, limits)
    except Refused as exc:
        return str(exc)
    if suffix in ZIP_SUFFIXES:
        return _zip_importable(opener)
    first = next(_checked_items(name, opener, limits), None)
    if suffix in JSONL_SUFFIXES:
        return _jsonl_first_problem(first)
    if first is not None and first.error:
        return first.error
    text = decode_bytes(data).text
    bad = text.count(REPLACEMENT)
    if bad > max(3, len(text) * MAX_BAD_CHAR_SHARE):
        return (
            f"无法识别文件的编码（有 {bad} 处无法解码的字节）；"
            "请确认它是 UTF-8、GBK/GB18030、Big5 或 UTF-16 编码的文本或网页"
        )
    return ""


def _zip_importable(opener: Opener) -> str:
    with zipfile.ZipFile(opener()) as archive:
        if any(_suffix(entry_name(i)) in PAGE_SUFFIXES + JSONL_SUFFIXES for i in _files(archive)):
            return ""
    return "zip 中没有可导入的文件（txt、html 或 jsonl）"


def _jsonl_first_problem(first: RawItem | None) -> str:
    if first is None:
        return "文件是空的"
    if first.error.startswith("不是有效的 JSON"):
        number = first.name.rsplit(":", 1)[-1]
        return f"第 {number} 行不是有效的 JSON（JSON Lines 文件须为 UTF-8，每行一个对象）"
    if first.error == "每行应是一个 JSON 对象":
        return f"第 {first.name.rsplit(':', 1)[-1]} 行不是 JSON 对象"
    return ""


# --- The whole-file check ----------------------------------------------------------------------


def _iter_opened(name: str, opener: Opener, limits: Limits) -> Iterator[RawItem]:
    try:
        _check_layers(name, opener, limits)
    except Refused as exc:
        yield RawItem(name=name, error=str(exc))
        return
    except OSError as exc:
        yield RawItem(name=name, error=f"无法读取：{exc.strerror or exc}")
        return
    yield from _checked_items(name, opener, limits)


def _checked_items(name: str, opener: Opener, limits: Limits) -> Iterator[RawItem]:
    """The items of a file that passed _check_layers."""
    suffix = _suffix(name)
    try:
        with opener() as stream:
            if suffix in ZIP_SUFFIXES:
                yield from _zip_items(name, stream, limits)
            elif suffix in JSONL_SUFFIXES:
                yield from _jsonl_items(name, stream, limits, _Meter(name, limits))
            elif suffix in PAGE_SUFFIXES:
                yield _page_item(name, stream.read(limits.page_bytes + 1), limits)
            else:
                yield RawItem(name=name, error=UNSUPPORTED.format(suffix=suffix or "无扩展名"))
    except (Refused, OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        # Only when the file changed on disk between the check and the read.
        yield RawItem(name=name, error=f"读取中断：{exc}")


def _check_layers(name: str, opener: Opener, limits: Limits) -> None:
    """Inflate every compressed layer of the file to its end, through the caps; raise Refused."""
    suffix = _suffix(name)
    meter = _Meter(name, limits)
    if suffix in ZIP_SUFFIXES:
        with opener() as stream:
            _check_zip(stream, limits, meter)
    elif name.lower().endswith(".gz"):
        with opener() as stream, ExitStack() as stack:
            _drain(_gunzip(stream, "gzip 文件", meter, stack))


def _check_zip(stream: BinaryIO, limits: Limits, meter: _Meter) -> None:
    try:
        archive = zipfile.ZipFile(stream)
        infos = _files(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused(f"zip 文件已损坏，无法打开（{exc}）") from exc
    with archive:
        for info in infos:
            inner = entry_name(info)
            parts = PurePosixPath(inner.replace("\\", "/")).parts
            if inner.startswith(("/", "\\")) or ".." in parts:
                raise Refused(f"zip 中有不安全的路径“{inner}”，已拒绝")
        wanted = [i for i in infos if _suffix(entry_name(i)) in PAGE_SUFFIXES + JSONL_SUFFIXES]
        if sum(i.file_size for i in wanted) > limits.expanded_bytes:
            raise Refused(
                f"zip 解压后超过 {_megabytes(limits.expanded_bytes)}，可能是压缩炸弹，已拒绝"
            )
        for info in wanted:
            label = f"zip 中的“{entry_name(info)}”"
            with ExitStack() as stack:
                entry = _zip_entry(archive, info, label, meter, stack)
                if info.filename.lower().endswith(".gz"):
                    entry = _gunzip(entry, label, meter, stack)
                _drain(entry)


def _drain(stream: BinaryIO) -> None:
    while stream.read(CHUNK):
        pass


# --- Capped layers -----------------------------------------------------------------------------


class _Meter:
    """The running count of bytes inflated from one file, across all its layers."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.total = 0

    def add(self, size: int, *, label: str) -> None:
        self.total += size
        if self.total > self.limits.expanded_bytes:
            raise Refused(
                f"{label}解压后超过 {_megabytes(self.limits.expanded_bytes)}，"
                "可能是压缩炸弹，已拒绝"
            )


class _Counting(io.RawIOBase):
    """Counts the compressed bytes a decompressor reads through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class _Capped(io.RawIOBase):
    """A decompressing stream read through the file's meter and a ratio cap."""

    def __init__(
        self, inner: BinaryIO, *, compressed: Callable[[], int], label: str, meter: _Meter
    ) -> None:
        self.inner = inner
        self.compressed = compressed
        self.label = label
        self.meter = meter
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(len(buffer))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise Refused(f"{self.label}已损坏，无法解压（{exc}）") from exc
        buffer[: len(data)] = data
        self.produced += len(data)
        self.meter.add(len(data), label=self.label)
        limits = self.meter.limits
        if self.produced > max(limits.ratio_floor, limits.ratio * self.compressed()):
            raise Refused(
                f"{self.label}解压后超过压缩前的 {limits.ratio} 倍，可能是压缩炸弹，已拒绝"
            )
        return len(data)


def _buffered(raw: io.RawIOBase, size: int = CHUNK) -> BinaryIO:
    return io.BufferedReader(raw, buffer_size=size)  # type: ignore[return-value]


def _gunzip(stream: BinaryIO, label: str, meter: _Meter, stack: ExitStack) -> BinaryIO:
    counting = _Counting(stream)
    inflated = stack.enter_context(gzip.GzipFile(fileobj=_buffered(counting, 64 * 1024), mode="rb"))
    capped = _Capped(inflated, compressed=lambda: counting.count, label=label, meter=meter)
    return _buffered(capped)


def _zip_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, meter: _Meter, stack: ExitStack
) -> BinaryIO:
    """An entry inflated through the caps (a .gz entry's gzip layer is the caller's)."""
    try:
        handle = stack.enter_context(archive.open(info))
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        raise Refused(f"{label}无法解压（{exc}）") from exc
    capped = _Capped(handle, compressed=lambda: info.compress_size, label=label, meter=meter)
    return _buffered(capped)


def _files(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's files in name order, without folders and macOS/hidden clutter."""
    files = [
        i
        for i in archive.infolist()
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and not PurePosixPath(entry_name(i)).name.startswith(".")
    ]
    return sorted(files, key=entry_name)


def entry_name(info: zipfile.ZipInfo) -> str:
    """A zip entry's name as its author wrote it.

    Windows zip tools write names in the local code page (GBK in China) without the UTF-8 flag,
    and zipfile then reads them as cp437: b"\\xd0\\xc2\\xce\\xc5.txt" → "╨┬╬┼.txt". Those bytes
    are read again as UTF-8 (some tools forget the flag), then GB18030: → "新闻.txt".
    """
    if info.flag_bits & ZIP_UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


# --- Items -------------------------------------------------------------------------------------


def _zip_items(name: str, stream: BinaryIO, limits: Limits) -> Iterator[RawItem]:
    meter = _Meter(name, limits)
    with zipfile.ZipFile(stream) as archive:
        for info in _files(archive):
            inner = f"{name}:{entry_name(info)}"
            suffix = _suffix(info.filename)
            if suffix not in PAGE_SUFFIXES + JSONL_SUFFIXES:
                yield RawItem(name=inner, error="zip 中不支持的文件类型")
                continue
            label = f"zip 中的“{entry_name(info)}”"
            with ExitStack() as stack:
                entry = _zip_entry(archive, info, label, meter, stack)
                if suffix in JSONL_SUFFIXES:
                    yield from _jsonl_items(inner, entry, limits, meter, label)
                else:
                    yield _page_item(inner, entry.read(limits.page_bytes + 1), limits)


def _page_item(name: str, data: bytes, limits: Limits) -> RawItem:
    if not data.strip():
        return RawItem(name=name, error="文件是空的")
    if len(data) > limits.page_bytes:
        return RawItem(
            name=name,
            error=f"文件过大（超过 {limits.page_bytes // MB} MB），"
            f"单个网页不能超过 {limits.page_bytes // MB} MB",
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


def _jsonl_items(
    name: str, stream: BinaryIO, limits: Limits, meter: _Meter, label: str = "gzip 文件"
) -> Iterator[RawItem]:
    with ExitStack() as stack:
        if name.lower().endswith(".gz"):
            stream = _gunzip(stream, label, meter, stack)
        for number, line in enumerate(_lines(stream, limits.page_bytes), start=1):
            if line is None:
                yield RawItem(
                    name=f"{name}:{number}", error=f"这一行超过 {limits.page_bytes // MB} MB"
                )
            elif line.strip():
                yield _jsonl_item(f"{name}:{number}", line)


def _lines(stream: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """The stream's lines, each read with a cap: None stands for a line longer than cap."""
    while line := stream.readline(cap + 1):
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := stream.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


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
