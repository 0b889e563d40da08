"""search/engine/whoosh/phrases.py: position keys of cached blocks, 32-bit or 64-bit, and phrases on them."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Phrase, Term

from search import analysis
from search.analysis import ChineseAnalyzer
from search.engine.whoosh import lru, phrases, postings
from search.engine.whoosh.codec import CompactCodec


def _block(rng: random.Random, docs: int, span: int, top: int):
    """ids, weights, counts and absolute positions of a made-up block."""
    ids = np.array(sorted(rng.sample(range(span), docs)), dtype=np.int64) + 1000
    counts = np.array([rng.randint(1, 6) for _ in ids], dtype=np.int64)
    positions = np.concatenate([sorted(rng.sample(range(top), c)) for c in counts])
    positions[0] = 0  # the first document at position 0: the key 0 of a 32-bit block
    return ids, np.ones(len(ids)), counts, positions.astype(np.int64)


@pytest.mark.parametrize(
    ("span", "top"), [(3000, 900), (1 << 16, 1 << 15), (5000, 1 << 20), (1 << 18, 1 << 16)]
)
def test_a_block_keeps_32_bit_keys_when_they_fit_and_finds_the_same_keys(span, top):
    rng = random.Random(span + top)
    ids, weights, counts, positions = _block(rng, 400, span, top)
    expected = sorted(
        (int(i) << 32) + int(p) for i, p in zip(np.repeat(ids, counts), positions, strict=True)
    )
    block = phrases.Keyed(ids, weights, counts, positions)
    bits = int(ids[-1] - ids[0]).bit_length() + max(1, int(positions.max()).bit_length())
    assert block.keys.dtype == (np.uint32 if bits <= 32 else np.int64)
    assert block.global_keys().tolist() == expected
    assert (block.first, block.last) == (expected[0], expected[-1])
    # probes: held keys, keys of other positions and documents, positions past the block's
    # highest (they must not wrap onto another document) and starts before a position 0
    held = set(expected)
    probe = set(rng.sample(expected, 150))
    probe |= {k + d for k in rng.sample(expected, 150) for d in (-1, 1, 1 << 20, 1 << 31)}
    probe |= {(int(i) << 32) - 1 for i in ids[:20]}
    if block.bits:  # (doc, pos) with pos one bit too wide would wrap onto (doc + 1, ...)
        probe |= {k - (1 << 32) + (1 << block.bits) for k in rng.sample(expected, 150)}
    probe = sorted(k for k in probe if expected[0] <= k <= expected[-1])
    found = block.common(np.array(probe, dtype=np.int64)).tolist()
    assert found == sorted(held & set(probe))
    # a probe longer than the block's keys is answered the other way round, alike
    many = sorted(held | set(range(expected[0], expected[0] + 3 * len(expected))))
    many = [k for k in many if k <= expected[-1]]
    assert block.common(np.array(many, dtype=np.int64)).tolist() == expected


def _index(path, docs):
    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=ChineseAnalyzer(), phrase=True))
    path.mkdir()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(codec=CompactCodec())
    for n, text in enumerate(docs):
        writer.add_document(id=str(n), text=text)
    writer.commit()
    return ix


@pytest.mark.slow
@pytest.mark.parametrize("grams", [True, False], ids=["grams", "words"])
@pytest.mark.parametrize("key_bits", [32, 8])
def test_phrases_on_32_and_64_bit_blocks_answer_as_whoosh(tmp_path, monkeypatch, key_bits, grams):
    """8 bits are too few for any block here: every cached block keeps 64-bit keys. Words:
    phrases of common words read word by word, as on an index without grams."""
    if not grams:
        monkeypatch.setattr(postings, "gram_cover", lambda words: None)
    monkeypatch.setattr(phrases, "KEY_BITS", key_bits)
    monkeypatch.setattr(phrases, "_BLOCKS", lru.SizedLru(phrases.BLOCK_CACHE_BYTES))
    words = ["厦门", "湖里", "文明", "城市", "社区", "的", "志愿", "服务"]
    rng = random.Random(9)
    docs = ["".join(rng.choice(words) for _ in range(rng.randint(2, 400))) for _ in range(2500)]
    ix = _index(tmp_path / "ix", docs)
    queries = [["文明", "城市"], ["的", "的"], ["城市", "的", "社区"], ["湖里", "志愿", "服务"]]
    with ix.searcher() as searcher:
        evaluator = postings.Evaluator(searcher)
        for words_ in queries:
            query = Phrase("text", words_)
            theirs = {
                h.docnum: round(h.score, 6)
                for h in searcher.search(postings.whoosh_equivalent(query, evaluator), limit=None)
            }
            result = evaluator.evaluate(query)
            ours = dict(zip(result.docs.tolist(), np.round(result.scores, 6).tolist(), strict=True))
            assert ours == theirs and theirs, words_
            words_only = {h.docnum for h in searcher.search(query, limit=None)}
            assert set(ours) == words_only, words_  # grams lose no document
    cached = phrases._BLOCKS.values()
    assert cached and all((b.bits == 0) == (key_bits == 8) for b in cached)
    assert all(b.keys.dtype == (np.int64 if key_bits == 8 else np.uint32) for b in cached)


@pytest.mark.parametrize("key_bits", [32, 8])
def test_among_finds_the_probes_some_block_holds_whatever_the_blocks(key_bits, monkeypatch):
    """A word's blocks side by side: wide and narrow, 32- and 64-bit, some with fewer keys
    than probes (answered the other way round), probes past a block's highest position
    (which must not wrap onto the next document) and in the gaps between blocks."""
    monkeypatch.setattr(phrases, "KEY_BITS", key_bits)
    rng = random.Random(key_bits)
    blocks, held, base = [], set(), 0
    for docs, span, top in [(300, 2000, 900), (3, 10, 6), (200, 300, 1 << 12), (1, 1, 7)]:
        ids, weights, counts, positions = _block(rng, docs, span, top)
        ids += base - 1000
        base = int(ids[-1]) + 50
        block = phrases.Keyed(ids, weights, counts, positions)
        blocks.append(block)
        held |= set(block.global_keys().tolist())
    assert any(not b.bits for b in blocks) == (key_bits == 8)  # 8: 64- and 32-bit side by side
    keys = sorted(held)
    probe = set(rng.sample(keys, 200)) | {k + 1 for k in rng.sample(keys, 200)}
    probe |= {k + (1 << 20) for k in rng.sample(keys, 50)} | {keys[0] - 1, keys[-1] + 1}
    probe |= {(int(b.ids[-1]) + 10) << 32 for b in blocks}  # between blocks
    for b in blocks:
        if b.bits:  # one bit too wide: would wrap onto the next document's positions
            probe |= {(int(b.ids[0]) << 32) | (1 << b.bits), (int(b.ids[0]) << 32) | 1}
    probe = sorted(probe)
    found = phrases._among(np.array(probe, dtype=np.int64), blocks)
    assert found.tolist() == sorted(held & set(probe))
    assert phrases._among(np.zeros(0, dtype=np.int64), blocks).tolist() == []


def _words_only(monkeypatch):
    """Index as before grams: segment(stacked=True), no marker, no grams."""
    from search import analysis
    from search.engine.whoosh import inversion

    def plain(text):
        return analysis.segment(text, stacked=True)

    monkeypatch.setattr(analysis, "index_pieces", plain)
    monkeypatch.setattr(inversion, "index_pieces", plain)


GRAM_TEXTS = [
    "我们的城市在2014年评上文明城市",
    "用我们的方法，2014年的事",
    "他们用我们，我们用他们",
    "2014，年年有余",  # 2014 and 年 apart: no gram across punctuation
    "厦门大学的文明城市建设",  # 的 before the stacked 城市 of 文明城市
    "他们用我们鼓浪屿的船",
]


def test_a_phrase_of_two_common_words_reads_their_gram_and_finds_the_same(tmp_path, monkeypatch):
    """用我们 and 2014年 read one term; the documents are those of the words in a row, and
    the score is the gram's, as Whoosh scores that term."""
    ix = _index(tmp_path / "ix", GRAM_TEXTS * 3)
    read = []
    real = postings._phrase_blocks

    def spy(leaf, fieldname, words, i, wanted):
        read.append(words[i])
        return real(leaf, fieldname, words, i, wanted)

    monkeypatch.setattr(postings, "_phrase_blocks", spy)
    six = len(GRAM_TEXTS)
    with ix.searcher() as searcher:
        evaluator = postings.Evaluator(searcher)
        assert evaluator.has_grams("text")

        def check(words, docs):
            query = Phrase("text", words)
            expected = {n + six * k for n in docs for k in range(3)}
            assert {h.docnum for h in searcher.search(query, limit=None)} == expected, words
            result = evaluator.evaluate(query)
            assert set(result.docs.tolist()) == expected, words
            return result

        for words, docs in [
            (["用", "我们"], {1, 2, 5}),
            (["2014", "年"], {0, 1}),
            (["的", "城市"], {0, 4}),
        ]:
            result = check(words, docs)
            gram = Term("text", "\x1f".join(words))
            theirs = {h.docnum: round(h.score, 6) for h in searcher.search(gram, limit=None)}
            ours = dict(zip(result.docs.tolist(), np.round(result.scores, 6).tolist(), strict=True))
            assert ours == theirs
        assert read == []  # no word's positions were read
        check(["我们", "的", "城市"], {0})  # two grams in a row: 我们␟的 @0, 的␟城市 @1
        check(["用", "我们", "的", "方法"], {1})  # three grams
        assert read and all("\x1f" in term for term in read)  # the grams' positions only
        read.clear()
        check(["用", "我们", "鼓浪屿"], {5})  # a gram, then a word two positions on
        assert read == ["鼓浪屿", "用\x1f我们"]  # rarest first


def test_an_index_without_grams_is_read_word_by_word(tmp_path, monkeypatch):
    """An index written before grams (or with another word list) has no marker: phrases of
    common words still find every document, from the words' positions. One document
    indexed with grams does not make the others' missing grams usable."""
    with monkeypatch.context() as m:
        _words_only(m)
        ix = _index(tmp_path / "ix", GRAM_TEXTS)
    query = Phrase("text", ["用", "我们"])
    with ix.searcher() as searcher:
        evaluator = postings.Evaluator(searcher)
        assert not evaluator.has_grams("text")
        assert set(evaluator.evaluate(query).docs.tolist()) == {1, 2, 5}
    writer = ix.writer(codec=CompactCodec())
    writer.add_document(id="new", text="用我们的")
    writer.commit()
    with ix.searcher() as searcher:
        evaluator = postings.Evaluator(searcher)
        assert searcher.doc_frequency("text", analysis.gram_marker()) == 1
        assert not evaluator.has_grams("text")
        assert set(evaluator.evaluate(query).docs.tolist()) == {1, 2, 5, 6}
