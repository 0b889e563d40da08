"""search_check [--repair], index_pending and reindex_articles; the import's transaction:
the raw page first, then the article, then its index queue row, committed together."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem
from articles.models import Article, RawPage, Source
from search import indexing
from search.engine import article_index, get_engine
from search.engine.elasticsearch.engine import ElasticsearchEngine
from search.engine.whoosh import index as whoosh_index
from search.models import PendingIndexUpdate

pytestmark = pytest.mark.django_db

BODY = (
    "本报讯（记者 林晓东）{}开展垃圾分类志愿服务活动，四十余名志愿者走进小区，向居民讲解分类知识。"
)


def page(title: str, source: str = "厦门日报") -> bytes:
    lines = [title, f"2021-11-13 09:11:07    来源:{source}", BODY.format(title), "责任编辑:王芳"]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def stories(search_index, django_capture_on_commit_callbacks) -> list[Article]:
    titles = ["湖里区禾山街道", "思明区中华街道", "集美区侨英街道", "海沧区新阳街道"]
    items = [RawItem(name=f"{n}.txt", raw=page(t)) for n, t in enumerate(titles)]
    with django_capture_on_commit_callbacks(execute=True):
        report = articles_import_batch(items=items)
    assert report.imported == 4
    return list(Article.objects.order_by("pk"))


def check(*args: str, capsys) -> str:
    call_command("search_check", *args)
    return capsys.readouterr().out


def test_index_in_step_after_an_import(stories, capsys):
    assert (
        check(capsys=capsys)
        == "数据库 4 篇已发布，索引 4 篇；缺失 0，过期 0，多余 0；排队 0 条\n一致\n"
    )


def test_missing_stale_and_orphaned_are_found_and_repaired(stories, capsys):
    a, b, c, _ = stories
    # Behind the index's back: update() sends no signal.
    Article.objects.filter(pk=a.pk).update(title="湖里区禾山街道（更正）")
    Article.objects.filter(pk=b.pk).update(status="hidden")
    state = get_engine().state
    whoosh_index.write(state, delete_ids=[f"articles.article.{c.pk}"], docs=[])
    # An id above every article's: on PostgreSQL ids are not reused between tests.
    g = stories[-1].pk + 1000
    ghost = {"id": f"articles.article.{g}", "django_ct": "articles.article", "django_id": f"{g}"}
    whoosh_index.write(state, delete_ids=[], docs=[{**ghost, "text": "鬼稿", "order": 1}])
    with pytest.raises(CommandError, match="索引与数据库不一致"):
        call_command("search_check")
    assert capsys.readouterr().out == (
        "数据库 3 篇已发布，索引 4 篇；缺失 1，过期 1，多余 2；排队 0 条\n"
        f"  缺失：#{c.pk}\n  过期：#{a.pk}\n  多余：#{b.pk} #{g}\n"
    )
    out = check("--repair", capsys=capsys)
    assert out.endswith(
        "修复后：\n数据库 3 篇已发布，索引 3 篇；缺失 0，过期 0，多余 0；排队 0 条\n一致\n"
    )
    assert check(capsys=capsys).endswith("一致\n")
    assert get_engine().state.searcher().doc_count() == 3


def test_renamed_source_makes_its_articles_stale(stories, capsys):
    """The digest covers every indexed field, not only the article's own columns."""
    Source.objects.filter(name="厦门日报").update(name="厦门日报社")
    with pytest.raises(CommandError):
        call_command("search_check")
    assert "缺失 0，过期 4，多余 0" in capsys.readouterr().out


def test_an_article_indexed_twice_is_stale(stories, capsys):
    index = article_index()
    doc = whoosh_index_doc(index, stories[0])
    whoosh_index.write(get_engine().state, delete_ids=[], docs=[doc])
    with pytest.raises(CommandError):
        call_command("search_check")
    assert f"索引 5 篇；缺失 0，过期 1，多余 0；排队 0 条\n  过期：#{stories[0].pk}\n" in (
        capsys.readouterr().out
    )
    assert check("--repair", capsys=capsys).endswith("一致\n")


def test_documents_indexed_before_the_digest_field_are_stale(stories, capsys):
    index = article_index()
    old = {k: v for k, v in whoosh_index_doc(index, stories[1]).items() if k != "digest"}
    whoosh_index.write(get_engine().state, delete_ids=[old["id"]], docs=[old])
    with pytest.raises(CommandError):
        call_command("search_check")
    assert f"过期 1，多余 0；排队 0 条\n  过期：#{stories[1].pk}\n" in capsys.readouterr().out
    assert check("--repair", capsys=capsys).endswith("一致\n")


def whoosh_index_doc(index, article: Article) -> dict:
    from search.engine.whoosh.engine import whoosh_document

    return whoosh_document(index.full_prepare(article))


def test_check_applies_the_queue_first(stories, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the write after commit is lost
        stories[3].status = "hidden"
        stories[3].save()
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [stories[3].pk]
    assert check(capsys=capsys) == (
        "排队 1 条，已先写入索引 1 条\n"
        "数据库 3 篇已发布，索引 3 篇；缺失 0，过期 0，多余 0；排队 0 条\n一致\n"
    )
    assert PendingIndexUpdate.objects.count() == 0


def test_index_pending_writes_the_queue(stories, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        Article.objects.get(pk=stories[0].pk).delete()
        Article.objects.get(pk=stories[1].pk).delete()
    call_command("index_pending")
    assert capsys.readouterr().out == "排队 2 条，已写入 2 条，仍在排队 0 条\n"
    assert check(capsys=capsys).startswith("数据库 2 篇已发布，索引 2 篇；缺失 0")


def test_reindex_articles_rebuilds_through_the_writer_path(stories, capsys):
    Article.objects.filter(pk=stories[0].pk).update(status="hidden")
    PendingIndexUpdate.objects.create(article_id=stories[0].pk)
    call_command("reindex_articles")
    assert capsys.readouterr().out == "已索引 3 篇稿件\n"
    assert PendingIndexUpdate.objects.count() == 0
    assert check(capsys=capsys).endswith("一致\n")


def test_an_import_drains_the_whole_queue_a_save_only_part(
    stories, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(indexing, "SAVE_DRAIN", 1)
    hidden = [a.pk for a in stories[:3]]
    Article.objects.filter(pk__in=hidden).update(status="hidden")
    indexing.queue_articles(hidden)  # as a killed import leaves them
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=stories[3].pk).get().save()
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [hidden[2]]
    with django_capture_on_commit_callbacks(execute=True):
        articles_import_batch(items=[RawItem(name="new.txt", raw=page("翔安区新店街道"))])
    assert PendingIndexUpdate.objects.count() == 0
    assert check(capsys=capsys).startswith("数据库 2 篇已发布，索引 2 篇；缺失 0，过期 0，多余 0")


def test_deleting_many_articles_is_one_index_write(
    stories, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    writes = []
    real_write = whoosh_index.write_batches

    def counted(state, batches, **kwargs):
        batches = list(batches)
        writes.append(sorted(pk for deletes, _ in batches for pk in deletes))
        real_write(state, batches, **kwargs)

    monkeypatch.setattr(whoosh_index, "write_batches", counted)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk__in=[a.pk for a in stories[:3]]).delete()
    assert writes == [[f"articles.article.{a.pk}" for a in stories[:3]]]
    assert check(capsys=capsys).startswith("数据库 1 篇已发布，索引 1 篇；缺失 0")


class FakeServer:
    """A Haystack backend without a Whoosh state (a search server such as Elasticsearch)."""

    setup_complete = True

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[str, object]] = []

    def update(self, index, objs) -> None:
        if self.fail:
            raise ConnectionError("search server down")
        self.calls.append(("update", sorted(obj.pk for obj in objs)))

    def remove(self, ident) -> None:
        self.calls.append(("remove", ident))

    def clear(self) -> None:
        self.calls.append(("clear", None))


def test_a_search_server_is_written_through_its_backend(
    stories, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    server = FakeServer()
    monkeypatch.setattr(indexing, "get_engine", lambda: ElasticsearchEngine(server))
    a, b, *_ = stories
    gone = f"articles.article.{b.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        a.title = "湖里区禾山街道（更正）"
        a.save()
        b.delete()
    # The first write also applies the queued delete; the second finds it done.
    assert server.calls == [("remove", gone), ("update", [a.pk])]
    assert PendingIndexUpdate.objects.count() == 0
    server.calls.clear()
    assert indexing.rebuild(batch_size=2) == 3
    assert server.calls == [
        ("clear", None),
        ("update", [a.pk, stories[2].pk]),
        ("update", [stories[3].pk]),
    ]
    with pytest.raises(CommandError, match="Whoosh"):
        call_command("search_check")


def test_a_search_server_down_keeps_the_update_queued(
    stories, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(indexing, "get_engine", lambda: ElasticsearchEngine(FakeServer(fail=True)))
    with django_capture_on_commit_callbacks(execute=True):
        stories[0].save()
    row = PendingIndexUpdate.objects.get()
    assert (row.article_id, row.attempts) == (stories[0].pk, 1)
    assert row.last_error == "ConnectionError: search server down"


# --- The import's transaction ----------------------------------------------------------------


def test_raw_page_stored_first_then_article_then_queue_row(search_index):
    with CaptureQueriesContext(connection) as queries:
        articles_import_batch(items=[RawItem(name="a.txt", raw=page("湖里区禾山街道"))])
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [s.split('"')[1] for s in sql if s.startswith("INSERT")]
    assert inserts == [
        "articles_importbatch",
        "articles_rawpage",
        "articles_source",
        "articles_article",
        "articles_historicalarticle",
        "search_pendingindexupdate",
    ]
    # From the raw page to the queue row: inside the one savepoint article_create opened.
    first = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "articles_rawpage"'))
    opened = max(i for i, s in enumerate(sql[:first]) if s.startswith("SAVEPOINT"))
    name = sql[opened].split()[1]
    released = sql.index(f"RELEASE SAVEPOINT {name}")
    queued = next(i for i, s in enumerate(sql) if "search_pendingindexupdate" in s)
    assert opened < first < queued < released


def test_failing_queue_write_stores_no_half_article(search_index, monkeypatch):
    def broken(ids, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(indexing, "queue_articles", broken)
    with pytest.raises(RuntimeError):
        articles_import_batch(items=[RawItem(name="a.txt", raw=page("湖里区禾山街道"))])
    assert (RawPage.objects.count(), Article.objects.count()) == (0, 0)
