"""search/engine/whoosh/postings.py answers every query shape exactly as Whoosh's own matchers do: the same
documents, the same BM25F scores, the same ranking, across several segments, deleted
documents, one-document terms, boosts and the title field's boost."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from whoosh import index
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.query import And, AndMaybe, AndNot, DateRange, Every, Or, Phrase, Query, Term

from search.analysis import ChineseAnalyzer
from search.engine.whoosh import lru, postings
from search.engine.whoosh.codec import CompactCodec

WORDS = [
    "厦门",
    "湖里",
    "集美",
    "文明",
    "城市",
    "创建",
    "志愿",
    "服务",
    "社区",
    "公园",
    "地铁",
    "海沧",
    "游客",
    "码头",
    "市民",
    "活动",
]


@pytest.fixture(scope="module", params=["w3", "compact", "mixed"])
def searcher(request, tmp_path_factory):
    """Three segments with deletions, written by Whoosh's W3 codec, by search/engine/whoosh/codec.py's, or
    the first by W3 and the rest compact (an index written before the compact codec)."""
    schema = Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        title=TEXT(analyzer=ChineseAnalyzer(), phrase=True, field_boost=2.0),
        published=DATETIME(),
    )
    ix = index.create_in(str(tmp_path_factory.mktemp("postings")), schema)
    rng = random.Random(5)
    day = dt.datetime(2021, 1, 1)
    for batch in range(3):  # three segments
        compact = request.param == "compact" or (request.param == "mixed" and batch > 0)
        writer = ix.writer(codec=CompactCodec()) if compact else ix.writer()
        for n in range(150):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 60))]
            writer.add_document(
                id=f"{batch}-{n}",
                text="".join(words) + ("文明城市创建" if n % 7 == 0 else ""),
                title="".join(words[:4]),
                published=day + dt.timedelta(days=n + 200 * batch),
            )
        writer.add_document(id=f"{batch}-rare", text=f"罕见词{batch}出现一次", title="")
        writer.commit(merge=False)
    writer = ix.writer(codec=CompactCodec())
    for n in range(0, 150, 9):
        writer.delete_by_term("id", f"1-{n}")
    writer.commit(merge=False)
    with ix.searcher() as opened:
        assert len(opened.reader().leaf_readers()) == 3 and opened.reader().has_deletions()
        opened.written_by = request.param
        yield opened


QUERIES: list[Query] = [
    Term("text", "湖里"),
    Term("text", "没有这个词"),
    Term("text", "罕见词"),
    Term("title", "文明", boost=3.0),
    Phrase("text", ["文明", "城市"]),
    Phrase("text", ["文明", "城市", "创建"]),
    Phrase("text", ["城市", "文明"]),
    Phrase("text", ["湖里", "湖里"]),
    Or([Term("text", "文明城市"), Phrase("text", ["文明", "城市"])]),
    And([Term("text", "湖里"), Term("text", "集美")]),
    And([Term("text", "湖里"), Or([Term("text", "地铁"), Phrase("text", ["游客", "码头"])])]),
    AndNot(Term("text", "社区"), Term("text", "公园")),
    AndNot(Every(), Term("text", "厦门")),
    AndMaybe(Term("text", "服务"), Or([Term("title", "服务"), Term("title", "志愿")])),
    And([Term("text", "市民"), DateRange("published", dt.datetime(2021, 3, 1), None)]),
    And([Phrase("text", ["文明", "城市"]), Term("text", "湖里")]),
    And([Phrase("text", ["文明", "城市"]), Phrase("text", ["志愿", "服务"])]),
    AndNot(Term("text", "湖里"), Phrase("text", ["文明", "城市"])),
    AndMaybe(Term("text", "湖里"), Phrase("text", ["文明", "城市"])),
    Phrase("text", ["没有这个词", "也没有的词"]),  # no segment has either word
    Phrase("text", ["湖里", "没有这个词"]),
    AndMaybe(Term("text", "湖里"), Or([Phrase("title", ["没有这个词", "也没有的词"])])),
]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_within_a_filter_the_same_documents_and_scores(searcher, query):
    """A filter's documents passed down (phrases check positions only there) give the
    unfiltered answer restricted to them, with the same scores."""
    evaluator = postings.Evaluator(searcher)
    whole = evaluator.evaluate(query)
    within = np.random.default_rng(3).random(searcher.doc_count_all()) < 0.3
    part = evaluator.evaluate(query, within)
    keep, kept = within[whole.docs], within[part.docs]
    assert part.docs[kept].tolist() == whole.docs[keep].tolist()
    assert np.allclose(part.scores[kept], whole.scores[keep])


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_same_documents_scores_and_ranking_as_whoosh(searcher, query):
    live = np.zeros(searcher.doc_count_all(), dtype=bool)
    live[list(searcher.reader().all_doc_ids())] = True
    evaluator = postings.Evaluator(searcher)
    expected = searcher.search(postings.whoosh_equivalent(query, evaluator), limit=None)
    result = evaluator.evaluate(query)
    keep = live[result.docs]
    docs, scores = result.docs[keep], result.scores[keep]

    if isinstance(query, AndNot):  # Whoosh's AndNot matcher can miss an exclusion (below)
        assert docs.tolist() == sorted(_docs(searcher, query.a) - _docs(searcher, query.b))
        return
    assert sorted(expected.docs()) == docs.tolist()
    theirs = {hit.docnum: hit.score for hit in expected}
    assert np.allclose([theirs[d] for d in docs.tolist()], scores)
    ranking = postings.ranked(docs, scores, 25).tolist()
    assert ranking == [hit.docnum for hit in expected][:25]


def _docs(searcher, query) -> set[int]:
    return set(searcher.search(query, limit=None).docs())


def test_an_excluded_word_excludes_every_document_that_has_it(searcher):
    """Whoosh 2.7.4's own AndNot kept document 1 of the third segment here, which has 公园;
    search/engine/whoosh/postings.py does not."""
    evaluator = postings.Evaluator(searcher)
    result = evaluator.evaluate(AndNot(Term("text", "社区"), Term("text", "公园")))
    excluded = set(evaluator.evaluate(Term("text", "公园")).docs.tolist())
    assert len(result.docs) and not excluded & set(result.docs.tolist())


def test_phrase_needs_the_words_next_to_each_other_in_order(searcher):
    evaluator = postings.Evaluator(searcher)
    forward = set(evaluator.evaluate(Phrase("text", ["文明", "城市"])).docs.tolist())
    backward = set(evaluator.evaluate(Phrase("text", ["城市", "文明"])).docs.tolist())
    both = set(evaluator.evaluate(And([Term("text", "文明"), Term("text", "城市")])).docs.tolist())
    assert forward and backward and forward != backward
    assert forward <= both and backward <= both and forward | backward != both


def test_ranked_pages_do_not_overlap_when_scores_tie():
    docs = np.arange(100, dtype=np.int64)
    scores = np.repeat([3.0, 2.0, 1.0, 0.5], 25)
    first = postings.ranked(docs, scores, 20).tolist()
    second = postings.ranked(docs, scores, 40).tolist()[20:]
    assert first == list(range(20)) and second == list(range(20, 40))


def test_positions_read_as_arrays_equal_whooshs_own_decoding(searcher):
    """Phrase candidates' positions, read from compact blocks or decoded in one pass from
    W3's pickles, equal what Whoosh's matchers give one posting at a time."""
    fmt = searcher.schema["text"].format
    evaluator = postings.Evaluator(searcher)
    for word in ("湖里", "文明", "城市"):
        found = postings_at(evaluator, "text", word, evaluator.postings("text", word).docs)
        ids, expected = [], []
        for leaf, base in evaluator.leaves:
            if ("text", word) not in leaf:
                continue
            matcher = leaf._terms.matcher("text", word.encode(), fmt)
            while matcher.is_active():  # deleted documents included, as the evaluator's
                ids.append(matcher.id() + base)
                expected.append(fmt.decode_positions(matcher.value()))
                matcher.next()
        assert found.docs.tolist() == ids and ids
        assert found.counts is not None and found.positions is not None
        assert found.counts.tolist() == [len(e) for e in expected]
        assert found.positions.tolist() == [p for e in expected for p in e]


def test_each_segment_is_read_by_its_own_codec(searcher):
    fmt = searcher.schema["text"].format
    kinds = [
        type(leaf._terms.matcher("text", "湖里".encode(), fmt)).__name__
        for leaf, _ in searcher.reader().leaf_readers()
    ]
    w3, compact = "W3LeafMatcher", "CompactLeafMatcher"
    expected = {"w3": [w3] * 3, "compact": [compact] * 3, "mixed": [w3, compact, compact]}
    assert kinds == expected[searcher.written_by]


def test_sort_keys_and_field_lengths_read_in_one_go_equal_whooshs(tmp_path):
    """The per-searcher arrays (sort keys of a signed 64-bit column, field lengths) read raw
    from the column files equal what Whoosh's readers give one document at a time."""
    from whoosh.fields import NUMERIC

    from search.engine.whoosh.index import _order_column

    order = NUMERIC(numtype=int, bits=64, sortable=True, signed=True)
    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=ChineseAnalyzer()), order=order)
    ix = index.create_in(str(tmp_path), schema)
    rng = random.Random(4)
    for _ in range(2):
        writer = ix.writer()
        for n in range(120):
            key = rng.choice([-(2**62), -1, 0, 1, 2**62]) + n
            writer.add_document(id=str(n), text="湖里" * (n % 9 + 1), order=key)
        writer.commit(merge=False)
    with ix.searcher() as opened:
        for leaf, _ in opened.reader().leaf_readers():
            assert _order_column(leaf).tolist() == list(leaf.column_reader("order"))
        lengths = postings.Evaluator(opened).lengths("text")
        count = opened.doc_count_all()
        assert lengths.tolist() == [opened.doc_field_length(d, "text", 1) for d in range(count)]


def test_the_caches_keep_the_most_recent_entries_within_their_bounds():
    cache = lru.SizedLru(max_size=100, max_items=3, largest=2)
    for key in "abcd":
        cache.put(key, key.upper(), 10)
    assert cache.get("a") is None and cache.get("b") == "B"  # four entries: the oldest out
    cache.put("big", "BIG", 51)  # over max_size // largest: not kept
    assert cache.get("big") is None and len(cache) == 3
    cache.put("e", "E", 50)
    cache.put("f", "F", 45)  # 10 + 50 + 45 > 100: the least recently used go first
    assert cache.get("e") == "E" and cache.get("f") == "F" and cache.get("c") is None
    assert cache.size == 95 and len(cache) == 2


def postings_at(evaluator, fieldname: str, text: str, docs):
    """A term's postings with positions, read only from the blocks that could hold one of
    docs (ascending global docnums), with the blocks' other postings: what a phrase reads,
    in the form Whoosh's matchers give, for checks against them."""
    parts = []
    for leaf, base in evaluator.leaves:
        local = docs[(docs >= base) & (docs < base + leaf.doc_count_all())] - base
        found = postings._leaf_postings(leaf, fieldname, text, True, local) if len(local) else None
        if found is not None:
            parts.append(
                postings.Postings(found.docs + base, found.weights, found.counts, found.positions)
            )
    return postings._joined(parts, values=True)
