"""A real import stores its items in chunks (articles.importing.chunks): the same report, rows,
history records, index queue and search results as storing them one by one; a chunk that
loses a race with another import is redone item by item, losing and doubling nothing."""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.importing import batch, chunks, store
from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem, item_clean
from articles.importing.results import ImportReport, Outcome
from articles.models import Article, RawPage, Source
from articles.services import article_correct
from search.models import PendingIndexUpdate
from tests.integration.test_admin import (  # noqa: F401 (fixtures)
    OTHER_BODY,
    STORY_BODY,
    change_url,
    client,
    editor,
    form_data,
    page,
)

pytestmark = pytest.mark.django_db

OLD_BODY = [
    "本报讯（记者 陈丽）思明区中华街道今天举办邻里节，社区居民带来家乡美食，与志愿者一起包饺子。",
    "中华街道相关负责人表示，邻里节已连续举办五年，成为社区居民最期待的活动之一。",
]
PARK_BODY = [
    "本报讯（记者 王芳）集美区侨英街道新建的口袋公园近日开放，公园里种了三百多株樱花。",
    "侨英街道相关负责人说，口袋公园由闲置地块改造而成，周边居民步行五分钟即可到达。",
]
PIER_BODY = [
    "本报讯（记者 柯雅婷）海沧区嵩屿码头改造完工，新码头可同时停靠四艘游船。",
    "海沧区相关负责人介绍，码头改造后每天可接待游客三千人次。",
]
OLD = page("思明区中华街道举办邻里节", OLD_BODY)  # 厦门日报, 思明区: known once "old" is in
A = page("湖里区禾山街道开展垃圾分类志愿服务", STORY_BODY, source="海峡导报")
B = page("同安区迎接全国文明城市复查", OTHER_BODY, source="厦门日报")
C = page("集美区侨英街道口袋公园开放", PARK_BODY, source="台海网")
D = page("海沧区嵩屿码头改造完工", PIER_BODY, source="海峡导报")


EMPTY = "未提取到正文（页面是空的，只有标题，或全部是网页杂项）"  # store.clean_problem


def gbk(raw: bytes) -> bytes:
    """The same page in another encoding: other bytes, the same text."""
    return raw.decode("utf-8").encode("gb18030")


# In chunks of 3: within one chunk and across chunks, the same bytes and the same text again.
MIXED = [
    RawItem(name="a.txt", raw=A),  # new, with a new source
    RawItem(name="old-again.txt", raw=OLD),  # bytes stored before the run
    RawItem(name="old-gbk.txt", raw=gbk(OLD)),  # text stored before the run
    RawItem(name="b.txt", raw=B),  # new, known source, new district
    RawItem(name="b-again.txt", raw=B),  # same bytes, same chunk
    RawItem(name="b-gbk.txt", raw=gbk(B)),  # same text, same chunk
    RawItem(name="bad.zip:x.html", error="压缩包损坏，无法读取"),
    RawItem(name="empty.txt", raw=page("只有标题", [])),
    RawItem(name="a-gbk.txt", raw=gbk(A)),  # same text, an earlier chunk
    RawItem(name="boom.txt", raw=page("清洗器出错的页面", PIER_BODY[:1])),
    RawItem(name="c.txt", raw=C),  # a new source
    RawItem(name="d.txt", raw=D),  # its source was created by an earlier chunk
    RawItem(name="a-again.txt", raw=A),  # same bytes, an earlier chunk
]


def cleaner_failing_on(name: str):
    def clean(item: RawItem, *, default_year: int | None):
        if item.name == name:
            raise RuntimeError("boom")
        return item_clean(item, default_year=default_year)

    return clean


def hits(q: str) -> list[int]:
    from search.query import SearchParams, search_articles

    return sorted(hit.id for hit in search_articles(SearchParams(q=q)).hits)


def snapshot(report: ImportReport, queued: list[int]) -> dict[str, object]:
    """What the import left, ids replaced by the names of the items that made them."""
    names = dict(RawPage.objects.values_list("pk", "filename"))
    article_names = {a.pk: names[a.raw_page_id] for a in Article.objects.all()}

    def named(value: int | None) -> str | None:
        return None if value is None else article_names[value]

    articles, history = [], []
    for a in Article.objects.select_related("source", "site", "district", "import_batch"):
        row = {f.attname: getattr(a, f.attname) for f in Article._meta.concrete_fields}
        for key in ("id", "created_at", "updated_at"):
            row.pop(key)
        row.update(
            raw_page_id=names[a.raw_page_id],
            source_id=a.source and a.source.name,
            site_id=a.site and a.site.name,
            district_id=a.district and a.district.name,
            import_batch_id=a.import_batch.label,
        )
        articles.append(row)
        for record in a.history.all():
            tracked = Article.history.model.tracked_fields
            same = all(getattr(record, f.attname) == getattr(a, f.attname) for f in tracked)
            history.append(
                (
                    named(a.pk),
                    record.history_type,
                    record.history_user_id,
                    record.history_change_reason,
                    same,
                    a.created_at <= record.history_date,
                )
            )
    return {
        "report": [
            (
                i.name,
                i.outcome,
                re.sub(r"#(\d+)", lambda m: "#" + named(int(m.group(1))), i.message),
                named(i.article_id),
                named(i.duplicate_of),
                i.clean is not None,
            )
            for i in report.items
        ],
        "articles": sorted(articles, key=lambda row: row["raw_page_id"]),
        "raw_pages": sorted(
            RawPage.objects.values_list("filename", "sha256", "encoding", "size", "batch__label")
        ),
        "history": sorted(history),
        "sources": sorted(Source.objects.values_list("name", "slug")),
        "queued": [named(pk) for pk in queued],
        "ids_in_input_order": [i.article_id for i in report.items if i.article_id]
        == sorted(i.article_id for i in report.items if i.article_id),
        "searches": {
            q: [named(pk) for pk in hits(q)]
            for q in ("邻里节", "垃圾分类", "文明城市", "樱花", "码头")
        },
    }


class _RolledBack(Exception):
    pass


def import_mixed(
    index: Path, *, one_by_one: bool, monkeypatch, capture, search_index_at
) -> tuple[dict[str, object], int]:
    """Import OLD, then MIXED, in a savepoint rolled back afterwards (so a second run starts
    from the same database). Returns the snapshot and how many INSERTs into the article table
    the run made."""
    snap: dict[str, object] = {}
    inserts = 0
    with search_index_at(index), contextlib.suppress(_RolledBack), transaction.atomic():
        with capture(execute=True):
            articles_import_batch(items=[RawItem(name="old.txt", raw=OLD)], label="before")
        with monkeypatch.context() as patch:
            if one_by_one:
                patch.setattr(connection.features, "can_return_rows_from_bulk_insert", False)
            with capture() as callbacks, CaptureQueriesContext(connection) as queries:
                report = articles_import_batch(items=MIXED, label="run")
        queued = list(
            PendingIndexUpdate.objects.order_by("pk").values_list("article_id", flat=True)
        )
        for callback in callbacks:  # the commit: the batch writes the index
            callback()
        assert PendingIndexUpdate.objects.count() == 0
        snap = snapshot(report, queued)
        inserts = sum(
            q["sql"].startswith('INSERT INTO "articles_article"') for q in queries.captured_queries
        )
        raise _RolledBack
    return snap, inserts


def test_chunks_store_exactly_what_one_by_one_stores(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks, search_index_at
):
    monkeypatch.setattr(chunks, "STORE_CHUNK", 3)
    monkeypatch.setattr(store, "item_clean", cleaner_failing_on("boom.txt"))
    capture = django_capture_on_commit_callbacks
    single, single_inserts = import_mixed(
        tmp_path / "one",
        one_by_one=True,
        monkeypatch=monkeypatch,
        capture=capture,
        search_index_at=search_index_at,
    )
    chunked, chunked_inserts = import_mixed(
        tmp_path / "chunks",
        one_by_one=False,
        monkeypatch=monkeypatch,
        capture=capture,
        search_index_at=search_index_at,
    )
    # One INSERT per article one by one; one per chunk that stores any: chunks 1, 2 and 4.
    assert (single_inserts, chunked_inserts) == (4, 3)
    assert chunked == single
    already, same = "已导入过（内容完全相同）", "正文相同"
    assert chunked["report"] == [
        ("a.txt", Outcome.IMPORTED, "", "a.txt", None, True),
        ("old-again.txt", Outcome.ALREADY, already, None, "old.txt", False),
        ("old-gbk.txt", Outcome.DUPLICATE, f"与稿件 #old.txt {same}", None, "old.txt", True),
        ("b.txt", Outcome.IMPORTED, "", "b.txt", None, True),
        ("b-again.txt", Outcome.ALREADY, already, None, "b.txt", False),
        ("b-gbk.txt", Outcome.DUPLICATE, f"与稿件 #b.txt {same}", None, "b.txt", True),
        ("bad.zip:x.html", Outcome.FAILED, "压缩包损坏，无法读取", None, None, False),
        ("empty.txt", Outcome.FAILED, EMPTY, None, None, True),
        ("a-gbk.txt", Outcome.DUPLICATE, f"与稿件 #a.txt {same}", None, "a.txt", True),
        ("boom.txt", Outcome.FAILED, "清洗出错：RuntimeError('boom')", None, None, False),
        ("c.txt", Outcome.IMPORTED, "", "c.txt", None, True),
        ("d.txt", Outcome.IMPORTED, "", "d.txt", None, True),
        ("a-again.txt", Outcome.ALREADY, already, None, "a.txt", False),
    ]
    assert [
        (r["raw_page_id"], r["source_id"], r["district_id"], r["import_batch_id"])
        for r in chunked["articles"]
    ] == [
        ("a.txt", "海峡导报", "湖里区", "run"),
        ("b.txt", "厦门日报", "同安区", "run"),
        ("c.txt", "台海网", "集美区", "run"),
        ("d.txt", "海峡导报", "海沧区", "run"),
        ("old.txt", "厦门日报", "思明区", "before"),
    ]
    assert chunked["sources"] == [
        ("厦门日报", "厦门日报"),
        ("台海网", "台海网"),
        ("海峡导报", "海峡导报"),
    ]
    assert chunked["history"] == [
        (name, "+", None, None, True, True)
        for name in ("a.txt", "b.txt", "c.txt", "d.txt", "old.txt")
    ]
    assert chunked["queued"] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert chunked["ids_in_input_order"] is True
    assert chunked["searches"] == {
        "邻里节": ["old.txt"],
        "垃圾分类": ["a.txt"],
        "文明城市": ["b.txt"],
        "樱花": ["c.txt"],
        "码头": ["d.txt"],
    }


# --- History: the admin's history, correction and revert work as on saved articles -----------


def test_bulk_imported_history_and_revert(client, editor, monkeypatch):  # noqa: F811
    monkeypatch.setattr(chunks, "STORE_CHUNK", 2)
    assert connection.features.can_return_rows_from_bulk_insert  # the chunked path runs
    items = [
        RawItem(name="a.txt", raw=A),
        RawItem(name="b.txt", raw=B),
        RawItem(name="c.txt", raw=C),
    ]
    report = articles_import_batch(items=items)
    story = Article.objects.get(pk=report.items[0].article_id)
    created = story.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        None,
        None,
    )
    assert created.instance.title == "湖里区禾山街道开展垃圾分类志愿服务"
    assert created.instance.raw_page_id == story.raw_page_id
    assert created.instance.source.name == "海峡导报"

    assert article_correct(article=story, changes={"title": "改错的标题"}, user=editor) == ["title"]
    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    assert "改错的标题" in html and "湖里区禾山街道开展垃圾分类志愿服务" in html and "lin" in html
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[story.pk, created.history_id]
    )
    assert 'value="湖里区禾山街道开展垃圾分类志愿服务"' in client.get(revert_url).content.decode()
    assert client.post(revert_url, form_data(client, story, url=revert_url)).status_code == 302
    story.refresh_from_db()
    assert story.title == "湖里区禾山街道开展垃圾分类志愿服务"
    assert story.corrected_fields == ["title"]
    assert [(r.history_type, r.history_user) for r in story.history.all()] == [
        ("~", editor),
        ("~", editor),
        ("+", None),
    ]
    assert client.get(change_url(story)).status_code == 200


# --- Races: another import stores a page or a text between the lookups and the inserts -------


def another_import_before_the_inserts(monkeypatch, raw: bytes, name: str) -> list[int]:
    """Once: after the first chunk's lookups, store `raw` as another importer would."""
    real = chunks._resolved
    stored: list[int] = []

    def resolved(planned, seen):
        result = real(planned, seen)
        if not stored:
            item = RawItem(name=name, raw=raw)
            clean = item_clean(item, default_year=None)
            article = store.article_create(clean=clean, raw=raw, filename=name, batch=None)
            stored.append(article.pk)
        return result

    monkeypatch.setattr(chunks, "_resolved", resolved)
    return stored


def outcomes(report: ImportReport) -> list[tuple[str, str, str, int | None, int | None]]:
    return [(i.name, i.outcome, i.message, i.article_id, i.duplicate_of) for i in report.items]


def one_of_each() -> None:
    """Nothing stored twice; every article has its raw page, its history and its sources."""
    articles = list(Article.objects.all())
    assert len({a.fingerprint for a in articles}) == len(articles)
    assert RawPage.objects.count() == len(articles)
    assert len(set(RawPage.objects.values_list("sha256", flat=True))) == len(articles)
    for article in articles:
        assert [r.history_type for r in article.history.all()] == ["+"]
        for source_id in (article.source_id, article.site_id):
            assert source_id is None or Source.objects.filter(pk=source_id).exists()


def test_raw_page_stored_by_another_import_meanwhile(monkeypatch):
    monkeypatch.setattr(chunks, "STORE_CHUNK", 2)
    other = another_import_before_the_inserts(monkeypatch, C, "elsewhere/c.txt")
    items = [
        RawItem(name="a.txt", raw=A),
        RawItem(name="c.txt", raw=C),
        RawItem(name="d.txt", raw=D),
    ]
    report = articles_import_batch(items=items)
    a, _, d = (i.article_id for i in report.items)
    assert outcomes(report) == [
        ("a.txt", Outcome.IMPORTED, "", a, None),
        ("c.txt", Outcome.ALREADY, "已导入过（内容完全相同）", None, other[0]),
        ("d.txt", Outcome.IMPORTED, "", d, None),
    ]
    assert sorted(Article.objects.values_list("pk", flat=True)) == sorted([other[0], a, d])
    assert a is not None and d is not None and other[0] < a < d
    one_of_each()
    assert sorted(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == sorted(
        [other[0], a, d]
    )


def test_text_stored_by_another_import_meanwhile(monkeypatch):
    """The chunk had created sources before its article insert failed: they are rolled back
    with it, and a later chunk does not use the rolled-back rows."""
    monkeypatch.setattr(chunks, "STORE_CHUNK", 2)
    repost = page("集美区侨英街道口袋公园开放", PARK_BODY, source="东南网")  # C's text
    other = another_import_before_the_inserts(monkeypatch, repost, "elsewhere/c.txt")
    pier = page("海沧区嵩屿码头改造完工", PIER_BODY, source="台海网")
    items = [
        RawItem(name="b.txt", raw=B),
        RawItem(name="c.txt", raw=C),  # 台海网, a new source: rolled back, not created again
        RawItem(name="pier.txt", raw=pier),  # 台海网 in the next chunk
    ]
    report = articles_import_batch(items=items)
    b, _, p = (i.article_id for i in report.items)
    assert outcomes(report) == [
        ("b.txt", Outcome.IMPORTED, "", b, None),
        ("c.txt", Outcome.DUPLICATE, f"与稿件 #{other[0]} 正文相同", None, other[0]),
        ("pier.txt", Outcome.IMPORTED, "", p, None),
    ]
    one_of_each()
    assert Article.objects.get(pk=p).source.name == "台海网"
    assert sorted(Source.objects.values_list("name", flat=True)) == ["东南网", "厦门日报", "台海网"]
    assert RawPage.objects.filter(sha256=hashlib.sha256(C).hexdigest()).count() == 0


def test_a_chunk_failing_at_its_last_insert_is_redone_item_by_item(monkeypatch):
    monkeypatch.setattr(chunks, "STORE_CHUNK", 6)
    real = chunks._inserted
    failures: list[int] = []

    def fails_once_after_inserting(new, **kwargs):
        ids = real(new, **kwargs)
        if not failures:
            failures.append(len(ids))
            raise IntegrityError("UNIQUE constraint failed (simulated)")
        return ids

    monkeypatch.setattr(chunks, "_inserted", fails_once_after_inserting)
    items = [  # the first chunk: rolled back after its inserts, then stored one by one
        RawItem(name="a.txt", raw=A),
        RawItem(name="bad.zip:x.html", error="压缩包损坏，无法读取"),
        RawItem(name="empty.txt", raw=page("只有标题", [])),
        RawItem(name="b.txt", raw=B),
        RawItem(name="b-again.txt", raw=B),
        RawItem(name="a-gbk.txt", raw=gbk(A)),
        RawItem(name="c.txt", raw=C),  # the second chunk, stored at once
    ]
    report = articles_import_batch(items=items)
    a, _, _, b, _, _, c = (i.article_id for i in report.items)
    assert failures == [2]
    assert outcomes(report) == [
        ("a.txt", Outcome.IMPORTED, "", a, None),
        ("bad.zip:x.html", Outcome.FAILED, "压缩包损坏，无法读取", None, None),
        ("empty.txt", Outcome.FAILED, EMPTY, None, None),
        ("b.txt", Outcome.IMPORTED, "", b, None),
        ("b-again.txt", Outcome.ALREADY, "已导入过（内容完全相同）", None, b),
        ("a-gbk.txt", Outcome.DUPLICATE, f"与稿件 #{a} 正文相同", None, a),
        ("c.txt", Outcome.IMPORTED, "", c, None),
    ]
    assert report.summary() == "导入 3 篇，重复 2 篇，待审核 0 篇，失败 2 个"
    assert Article.objects.count() == 3
    one_of_each()
    queued = list(PendingIndexUpdate.objects.order_by("pk").values_list("article_id", flat=True))
    assert queued == [a, b, c]


# --- Search ------------------------------------------------------------------------------------


def test_imported_in_chunks_by_worker_processes_then_searchable(
    search_index, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(batch, "CLEAN_WINDOW", 4)  # 3 windows cleaned by the pool
    monkeypatch.setattr(chunks, "STORE_CHUNK", 3)  # stored in 4 chunks
    districts = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
    items = []
    for i in range(10):
        district = districts[i % 6]
        body = [
            f"本报讯（记者 林晓东）{district}第{i}号社区开展旧物回收活动，居民踊跃参与。",
            f"社区负责人介绍，今年以来已回收旧衣物{(i + 1) * 100}余件。",
        ]
        items.append(RawItem(name=f"p{i}.txt", raw=page(f"{district}第{i}号社区旧物回收", body)))
    items.insert(5, RawItem(name="p2-again.txt", raw=items[2].raw))
    with django_capture_on_commit_callbacks(execute=True):
        report = articles_import_batch(items=items, workers=2)
    ids = [i.article_id for i in report.items]
    assert [i.outcome for i in report.items] == [Outcome.IMPORTED] * 5 + [Outcome.ALREADY] + [
        Outcome.IMPORTED
    ] * 5
    assert report.items[5].duplicate_of == ids[2]
    stored = [pk for pk in ids if pk is not None]
    assert stored == sorted(stored) and len(stored) == 10
    assert PendingIndexUpdate.objects.count() == 0
    assert hits("旧物回收") == stored
    assert hits("第7号社区") == [ids[8]]
    assert hits("湖里区") == [ids[1], ids[8]]
