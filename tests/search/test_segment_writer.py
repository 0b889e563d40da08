"""search/engine/whoosh/segment_writer.py: the bulk writer makes the very files Whoosh's writer makes from
the same documents, and its parallel form loses nothing."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Phrase, Term
from whoosh.writing import SegmentWriter

from search.analysis import ChineseAnalyzer
from search.backends import _column_only
from search.engine.whoosh import index as whoosh_index
from search.engine.whoosh import inversion, postings, segment_writer
from search.engine.whoosh.codec import CompactCodec
from search.engine.whoosh.segment_writer import InvertingWriter, ParallelWriter

WORDS = [
    "厦门",
    "湖里区",
    "文明城市",
    "创建",
    "志愿服务",
    "社区",
    "地铁",
    "码头",
    "的",
    "了",
    "在",
    "鼓浪屿",
    "哈哈哈",
    "iPhone",
    "區",
]


def _schema() -> Schema:
    """The fields of the real index (search.backends.build_schema), smaller."""
    return Schema(
        id=ID(stored=True, unique=True),
        django_id=ID(stored=True),
        text=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        title=TEXT(analyzer=ChineseAnalyzer(), phrase=True, field_boost=2.0),
        district=ID(),
        keywords=KEYWORD(commas=True, scorable=True, lowercase=False),
        published=DATETIME(),
        order=_column_only(NUMERIC(numtype=int, bits=64, sortable=True, signed=True)),
    )


def _docs(count: int, seed: int = 5) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for n in range(count):
        body = "，".join(
            "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
            for _ in range(rng.randint(0, 12))
        )
        doc = {"id": f"a.{n}", "django_id": str(n), "text": body + "。", "order": n * 7}
        if n % 3:  # some documents have no title, district or keywords
            doc["title"] = rng.choice(WORDS) + rng.choice(WORDS)
            doc["district"] = rng.choice(["湖里区", "思明区"])
            doc["keywords"] = "厦门,地铁"
        if n % 11 == 0:
            doc["_boost"] = 1.5  # a document boost: weights that are not whole numbers
        docs.append(doc)
    docs.append({"id": "a.empty", "django_id": "0", "text": "，。！", "order": 1})
    return docs


def _write(path: Path, cls: type, docs: list[dict], schema: Schema | None = None) -> None:
    path.mkdir()
    ix = FileStorage(str(path)).create_index(schema or _schema())
    writer = cls(ix, codec=CompactCodec(), compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit(merge=False)


def _files(path: Path) -> dict[str, str]:
    """Each segment file's digest by its kind (segment names are random)."""
    return {
        p.name.split(".", 1)[1]: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in path.iterdir()
        if p.name.startswith("MAIN_") and "." in p.name and not p.name.endswith(".toc")
    }


@pytest.mark.parametrize("count", [1, 40, 1500], ids=["one", "few", "blocks of 1024"])
def test_same_files_as_whooshs_writer(tmp_path, count):
    docs = _docs(count)
    _write(tmp_path / "stock", SegmentWriter, docs)
    _write(tmp_path / "ours", InvertingWriter, docs)
    stock, ours = _files(tmp_path / "stock"), _files(tmp_path / "ours")
    assert {"trm", "pst", "_text_len.col", "order.col"} <= set(stock)
    assert ours == stock


@pytest.mark.parametrize("tokens", [1, 37, 5000])
def test_same_files_when_terms_are_sorted_in_ranges(tmp_path, monkeypatch, tokens):
    """The end of a segment sorts about PASS_TOKENS tokens at a time, a range of terms each."""
    monkeypatch.setattr(inversion, "PASS_TOKENS", tokens)
    docs = _docs(1200, seed=9)
    _write(tmp_path / "stock", SegmentWriter, docs)
    _write(tmp_path / "ours", InvertingWriter, docs)
    assert _files(tmp_path / "ours") == _files(tmp_path / "stock")


def test_same_files_without_titles(tmp_path):
    """A buffered field no document has gets no place in the field map, as with Whoosh."""
    docs = [{k: v for k, v in d.items() if k != "title"} for d in _docs(30)]
    _write(tmp_path / "stock", SegmentWriter, docs)
    _write(tmp_path / "ours", InvertingWriter, docs)
    assert _files(tmp_path / "ours") == _files(tmp_path / "stock")


def test_only_chinese_position_fields_are_buffered():
    schema = _schema()
    assert [n for n, f in schema.items() if segment_writer.inverts(f)] == ["text", "title"]
    stored = TEXT(analyzer=ChineseAnalyzer(), phrase=True, stored=True)
    without_positions = TEXT(analyzer=ChineseAnalyzer(), phrase=False)
    assert not segment_writer.inverts(stored)
    assert not segment_writer.inverts(without_positions)


def _parallel(path: Path, docs: list[dict], procs: int) -> whoosh_index.IndexState:
    path.mkdir()
    FileStorage(str(path)).create_index(_schema())
    state = whoosh_index.IndexState(str(path), _schema())
    subargs = {"compound": False, "codec": CompactCodec()}
    writer = ParallelWriter(
        state.index, procs=procs, batchsize=50, subargs=subargs, codec=CompactCodec()
    )
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return state


def test_parallel_writer_starts_new_segments_and_loses_nothing(tmp_path, monkeypatch):
    docs = _docs(900)
    monkeypatch.setattr(segment_writer, "SEGMENT_TOKENS", 3000)
    state = _parallel(tmp_path / "ours", docs, procs=2)
    _write(tmp_path / "stock", SegmentWriter, docs)
    stock = whoosh_index.IndexState(str(tmp_path / "stock"), _schema())
    ours_reader = state.searcher().reader()
    assert len(ours_reader.leaf_readers()) > 2  # each worker wrote several segments
    assert ours_reader.doc_count() == len(docs)
    ours_searcher, stock_searcher = state.searcher(), stock.searcher()
    ours_eval = postings.Evaluator(ours_searcher)
    stock_eval = postings.Evaluator(stock_searcher)
    queries = [Term("text", "地铁"), Term("title", "码头"), Phrase("text", ["文明城市", "创建"])]
    for query in queries:
        ours, theirs = ours_eval.evaluate(query), stock_eval.evaluate(query)
        assert len(theirs.docs) > 0
        assert _by_id(ours_searcher, ours) == pytest.approx(_by_id(stock_searcher, theirs))
    state.close()
    stock.close()


def _by_id(searcher, result):
    docs, scores = result.docs.tolist(), result.scores.tolist()
    return {searcher.stored_fields(d)["id"]: s for d, s in zip(docs, scores, strict=True)}


@pytest.mark.parametrize("count", [120, 2000], ids=["at the commit", "while adding"])
def test_a_failed_worker_fails_the_write_and_frees_the_lock(tmp_path, monkeypatch, count):
    """Whoosh's MpWriter committed without a dead worker's documents (or, with more batches
    than its queue holds, waited forever); this writer raises and lets go of the index."""

    def broken(self, docnum, value, boost):
        raise RuntimeError("segmenter crashed")

    monkeypatch.setattr(inversion.FieldBuffer, "add", broken)
    with pytest.raises(RuntimeError, match="index writer process"):
        _parallel(tmp_path / "ix", _docs(count), procs=2)
    ix = FileStorage(str(tmp_path / "ix")).open_index()
    assert ix.doc_count() == 0
    ix.writer(timeout=1).cancel()  # the write lock was released


def test_a_schema_with_vectors_or_spelling_words_is_refused(tmp_path):
    """What the bulk writer does not write is refused before the first document, not
    found halfway through a rebuild."""
    schema = _schema()
    schema.add("summary", TEXT(analyzer=ChineseAnalyzer(), vector=True))
    (tmp_path / "ix").mkdir()
    ix = FileStorage(str(tmp_path / "ix")).create_index(schema)
    with pytest.raises(ValueError, match="summary"):
        InvertingWriter(ix, codec=CompactCodec(), compound=False)
    ix.writer(timeout=1).cancel()  # the index is not left locked
