"""search/engine/whoosh/codec.py: compact posting blocks read back exactly, by numpy and by Whoosh's own
matchers, beside segments written by Whoosh's W3 codec, and no larger than W3's."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib

import numpy as np
import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Positions
from whoosh.query import Phrase, Term

from search.analysis import ChineseAnalyzer
from search.engine.whoosh import postings
from search.engine.whoosh.codec import (
    PREFIX,
    SPLIT,
    VALUES_POSITIONS,
    CompactCodec,
    CompactPostingsWriter,
    absolute_positions,
    block_data,
    encode_block,
    read_block,
)
from tests.search.test_postings import postings_at

FORMAT = Positions()
WORDS = ["厦门", "湖里", "文明", "城市", "创建", "志愿", "服务", "社区", "地铁", "码头"]


def _roundtrip(ids, weights, values, compression=3):
    comp, data = block_data(*encode_block(ids, weights, values), compression)
    return read_block(data, comp, len(ids))


def test_one_posting_block():
    block = _roundtrip([42], [1.0], [FORMAT.encode([7])])
    assert block.ids.tolist() == [42] and block.weights.tolist() == [1.0]
    assert block.counts.tolist() == [1] and block.positions.tolist() == [7]


@pytest.mark.parametrize(
    "ids",
    [[0, 1, 2], [3, 300, 70_000], [70_000, 70_001], [5, 2**31 + 5]],
    ids=["narrow", "wide gaps", "large first id", "32-bit gap"],
)
def test_ids_of_any_width(ids):
    assert _roundtrip(ids, [1.0] * len(ids), []).ids.tolist() == ids


@pytest.mark.parametrize(
    "weights",
    [[1.0, 1.0], [2.0, 6.0], [300.0, 1.0], [70_000.0, 2.0], [0.5, 1.25], [2.4, 1.0]],
)
def test_weights_come_back_as_whoosh_stores_them(weights):
    """W3 keeps weights as float32: whole numbers exactly, others rounded to float32."""
    expected = np.asarray(weights, dtype=np.float32).astype(np.float64).tolist()
    assert _roundtrip([1, 2], weights, []).weights.tolist() == expected


@pytest.mark.parametrize("compression", [0, 3])
@pytest.mark.parametrize(
    "lists",
    [[[0, 3, 3, 9], [70_000, 70_005], [5], [1, 2, 300]], [[0, 3], [255]], [[1, 256], [9]]],
    ids=["4 bytes", "1 byte", "2 bytes"],
)
def test_positions_of_every_width_back_as_absolute_positions(lists, compression):
    values = [FORMAT.encode(p) for p in lists]
    ids = [1, 4, 9, 10][: len(lists)]
    comp, data = block_data(*encode_block(ids, [1.0] * len(ids), values), compression)
    assert comp & SPLIT  # the positions are apart, uncompressed, at the end
    flat = [p for ps in lists for p in ps]
    width = 4 if max(flat) >= 1 << 16 else 2 if max(flat) >= 1 << 8 else 1
    assert data.endswith(np.asarray(flat, f"<u{width}").tobytes())
    block = read_block(data, comp, len(ids))
    assert block.counts.tolist() == list(map(len, lists))
    assert block.positions.tolist() == flat
    # Whoosh's matchers get values in Positions' own encoding back.
    assert [FORMAT.decode_positions(v) for v in _values(block)] == lists
    # without values, only ids and weights, and the positions are not read
    head_only = read_block(data[: len(data) - len(flat) * width], comp, len(ids), values=False)
    assert head_only.ids.tolist() == ids and head_only.positions is None


def test_version_1_blocks_with_positions_as_deltas_are_still_read():
    """Indexes written before version 2 kept every position delta inside the zlib stream."""
    lists = [[3, 7, 300], [0], [2, 2]]
    deltas = [3, 4, 293, 0, 2, 0]
    head = PREFIX.pack(1, 1, 0, VALUES_POSITIONS, 1, 2, 5) + bytes([2, 3])  # ids 5, 7, 10
    data = head + bytes(map(len, lists)) + struct.pack(f"<{len(deltas)}H", *deltas)
    block = read_block(zlib.compress(data, 3), 3, 3)
    assert block.ids.tolist() == [5, 7, 10]
    assert block.positions.tolist() == [p for ps in lists for p in ps]
    assert absolute_positions(block.counts, np.asarray(deltas)).tolist() == block.positions.tolist()


def test_a_block_whose_positions_do_not_match_its_counts_is_refused():
    comp, data = block_data(
        *encode_block([1, 2], [1.0, 2.0], [FORMAT.encode([4]), FORMAT.encode([1, 9])]), 3
    )
    with pytest.raises(ValueError, match="do not match"):
        read_block(data[:-1], comp, 2)


def _values(block):
    from search.engine.whoosh.codec import _positions_value

    return [_positions_value(d) for d in block.delta_lists()]


@pytest.mark.parametrize(
    "values",
    [
        [b"\x00\x01", b"abc"],  # another format's values
        [FORMAT.encode([5]), b"xyz"],  # one not in Positions' encoding
        [FORMAT.encode([9, 4]), FORMAT.encode([1])],  # a position list going backwards
    ],
    ids=["other format", "mixed", "backwards"],
)
def test_values_that_are_not_positions_are_kept_as_they_are(values):
    block = _roundtrip([1, 2], [1.0, 1.0], values)
    assert block.raw == tuple(values) and block.counts is None


def _index(path, docs, codec):
    schema = Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        title=TEXT(analyzer=ChineseAnalyzer(), field_boost=2.0),
    )
    path.mkdir()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(compound=False, codec=codec) if codec else ix.writer(compound=False)
    for n, text in enumerate(docs):
        writer.add_document(id=str(n), text=text, title=text[:6])
    writer.commit()
    return ix


QUERIES = [
    Term("text", "湖里"),
    Term("title", "文明"),
    Phrase("text", ["文明", "城市"]),
    Phrase("text", ["社区", "志愿", "服务"]),
]


@pytest.fixture(scope="module")
def docs():
    rng = random.Random(11)
    return ["".join(rng.choice(WORDS) for _ in range(rng.randint(5, 400))) for _ in range(3000)]


@pytest.mark.slow
def test_whooshs_own_search_answers_the_same_on_both_codecs(tmp_path, docs):
    """Whoosh's matchers (its searcher, phrase spans, scoring) over compact blocks give the
    same hits and scores as over W3's, and the postings file is no larger, positions kept
    uncompressed included (this text of ten words repeated is W3's best case)."""
    w3 = _index(tmp_path / "w3", docs, None)
    compact = _index(tmp_path / "compact", docs, CompactCodec())
    with w3.searcher() as one, compact.searcher() as other:
        for query in QUERIES:
            expected = [(h.docnum, round(h.score, 6)) for h in one.search(query, limit=None)]
            found = [(h.docnum, round(h.score, 6)) for h in other.search(query, limit=None)]
            assert found == expected and expected
    sizes = {
        name: sum(p.stat().st_size for p in (tmp_path / name).glob("*.pst"))
        for name in ("w3", "compact")
    }
    assert sizes["compact"] < sizes["w3"]


@pytest.mark.slow
def test_merging_w3_segments_into_a_compact_one_keeps_every_posting(tmp_path, docs):
    ix = _index(tmp_path / "ix", docs[:1500], None)
    writer = ix.writer(codec=CompactCodec(), compound=False)
    for n, text in enumerate(docs[1500:], start=1500):
        writer.add_document(id=str(n), text=text, title=text[:6])
    writer.commit(optimize=True)  # one segment: the W3 one rewritten in the compact format
    reference = _index(tmp_path / "reference", docs, None)
    with ix.searcher() as merged, reference.searcher() as expected:
        assert len(merged.reader().leaf_readers()) == 1
        for query in QUERIES:
            found = sorted(merged.stored_fields(d)["id"] for d in merged.docs_for_query(query))
            want = sorted(expected.stored_fields(d)["id"] for d in expected.docs_for_query(query))
            assert found == want and want


class _WhooshLoopPostings(CompactPostingsWriter):
    add_posting = W3PostingsWriter.add_posting


class _WhooshLoop(CompactCodec):
    """The compact blocks written through Whoosh's own add_postings loop."""

    def field_writer(self, storage, segment):
        return W3FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _WhooshLoopPostings(dbfile, blocklimit=self._blocklimit, compression=3)


@pytest.mark.slow
def test_the_faster_posting_loop_writes_the_same_bytes_as_whooshs(tmp_path, docs):
    """CompactFieldWriter.add_postings (lengths read once per field, no per-posting
    assertions) against W3's own loop over the same pool: identical files."""
    digests = []
    for name, chosen in (("ours", CompactCodec()), ("whoosh", _WhooshLoop())):
        _index(tmp_path / name, docs[:800], chosen)
        digests.append(
            {
                p.name.split(".", 1)[1]: hashlib.md5(p.read_bytes()).hexdigest()
                for p in (tmp_path / name).iterdir()
                if p.suffix in (".pst", ".trm", ".col")
            }
        )
    assert digests[0] == digests[1] and {"pst", "trm"} <= digests[0].keys()


@pytest.mark.slow
def test_phrases_of_a_rare_and_a_common_word_read_few_blocks_and_answer_as_whoosh(
    tmp_path, monkeypatch
):
    """search/engine/whoosh/postings.py reads a common word of a phrase (several 1,024-posting blocks)
    only where the rare word's documents are, positions only for those documents, and
    still finds what Whoosh's phrase matcher finds, with the same scores."""
    from search.engine.whoosh import lru, phrases

    monkeypatch.setattr(postings, "gram_cover", lambda words: None)  # words, not grams
    rng = random.Random(5)
    docs = []
    for n in range(3000):
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 200))]
        if n % 97 == 0:
            words.insert(rng.randrange(len(words)), "鼓浪屿")
        docs.append("".join(words))
    ix = _index(tmp_path / "compact", docs, CompactCodec())
    queries = [["鼓浪屿", "厦门"], ["厦门", "鼓浪屿"], ["湖里", "鼓浪屿", "文明"], ["文明", "城市"]]
    with ix.searcher() as searcher:
        evaluator = postings.Evaluator(searcher)
        rare = evaluator.postings("text", "鼓浪屿").docs
        common = postings_at(evaluator, "text", "厦门", rare)
        assert set(common.docs.tolist()) <= set(rare.tolist()) and len(common.docs)
        assert common.counts is not None and common.positions is not None
        fmt = searcher.schema["text"].format
        matcher = searcher.reader().postings("text", "厦门")
        expected = {}
        while matcher.is_active():
            expected[matcher.id()] = list(fmt.decode_positions(matcher.value()))
            matcher.next()
        ends = np.cumsum(common.counts)
        for doc, end, count in zip(common.docs, ends, common.counts, strict=True):
            assert common.positions[end - count : end].tolist() == expected[int(doc)]
        assert searcher.doc_frequency("text", "厦门") > 2 * 1024  # three blocks or more
        postings._SEGMENT_TERMS.clear()
        # warm: every word's documents and decoded blocks cached; small: a block cache
        # too small for all the blocks (870 kB), evicting as it goes
        for cache in ("cold", "warm", "small"):
            if cache == "small":
                monkeypatch.setattr(phrases, "_BLOCKS", lru.SizedLru(400_000))
            found = []
            for words in queries:
                query = Phrase("text", words)
                theirs = {
                    h.docnum: round(h.score, 6)
                    for h in searcher.search(
                        postings.whoosh_equivalent(query, evaluator), limit=None
                    )
                }
                result = evaluator.evaluate(query)
                scores = np.round(result.scores, 6).tolist()
                assert dict(zip(result.docs.tolist(), scores, strict=True)) == theirs, cache
                found.append(len(theirs))
            assert found[0] and found[1] and found[3], found  # the three-word one may be empty
            for word in [*WORDS, "鼓浪屿"]:
                evaluator.postings("text", word)
            assert evaluator.cached_docs("text", "厦门") is not None
            blocks = phrases._BLOCKS
            assert blocks.size <= blocks.max_size
            assert blocks.size == sum(b.nbytes for b in blocks.values())
            assert len(blocks)  # some blocks kept, in "small" the most recent only


def test_term_tables_are_read_by_pread_and_closed_with_the_searcher(tmp_path):
    """Compact segments' term tables are read with os.pread: a searcher holding a segment
    that a merge has since deleted still looks its terms up (its open file), and closing
    the searcher closes them."""
    from search.engine.whoosh.codec import PreadFile

    ix = _index(
        tmp_path / "ix", ["湖里文明城市创建", "集美学村", "湖里社区志愿服务"], CompactCodec()
    )
    searcher = ix.searcher()
    leaf = searcher.reader()
    files = [leaf._terms._tindex.dbfile]
    assert isinstance(files[0], PreadFile)
    writer = ix.writer(codec=CompactCodec())
    writer.add_document(id="new", text="海沧湖里", title="")
    writer.commit(optimize=True)  # one new segment; the old one's files are deleted
    assert [h.docnum for h in searcher.search(Term("text", "湖里"))] == [0, 2]
    assert len(searcher.search(Phrase("text", ["志愿", "服务"]))) == 1
    searcher.close()
    assert all(f.file.closed for f in files)
    with ix.searcher() as fresh:
        assert len(fresh.search(Term("text", "湖里"))) == 3
