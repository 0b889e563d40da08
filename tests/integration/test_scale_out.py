"""The scale-out path: PostgreSQL through DATABASE_URL, Elasticsearch through SEARCH_URL.

CI runs the whole suite twice, on SQLite and on PostgreSQL (.ci/run); the tests here check
that each run really uses the database it was given and what only PostgreSQL can show. There
is no Elasticsearch server here: the Elasticsearch tests fake the HTTP layer (a client
connection class that answers like a 7.x server and records every request) and check what
our backend would send: the settings, the mapping, the pre-segmented documents, the queries.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import runpy
import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.db import connection, transaction
from haystack.exceptions import MissingDependency

from articles.models import Article
from search.analysis import segment
from search.engine.elasticsearch import query as es_query

ROOT = Path(__file__).resolve().parent.parent.parent
BASE_SETTINGS = str(ROOT / "portal" / "settings" / "base.py")
try:
    from search.engine.elasticsearch import backend as es_backend
except (ImportError, MissingDependency):  # the client is an optional extra
    es_backend = None  # type: ignore[assignment]
needs_es = pytest.mark.skipif(
    es_backend is None,
    reason="the Elasticsearch client is not installed: pip install -r requirements-es.txt",
)
# haystack 3.4 still passes body= to the 7.17 client, which warns on every call.
pytestmark = pytest.mark.filterwarnings("ignore:The 'body' parameter is deprecated")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def base_settings(monkeypatch, tmp_path, **env: str) -> dict[str, Any]:
    """portal/settings/base.py evaluated afresh under the given environment."""
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "SEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(BASE_SETTINGS)


# --- PostgreSQL ------------------------------------------------------------------------------


def test_database_url_selects_postgresql_without_the_sqlite_options(monkeypatch, tmp_path):
    url = "postgres://xmnews:secret@127.0.0.1:5432/xmnews"
    db = base_settings(monkeypatch, tmp_path, DATABASE_URL=url)["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == (
        "xmnews",
        "xmnews",
        "127.0.0.1",
        5432,
    )
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    # SQLite's PRAGMA init_command and IMMEDIATE transactions would break a PostgreSQL connection.
    assert "OPTIONS" not in db or not db["OPTIONS"]


def test_without_database_url_sqlite_in_the_data_dir(monkeypatch, tmp_path):
    db = base_settings(monkeypatch, tmp_path)["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "db.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_database_url_names():
    """CI's second run sets DATABASE_URL to PostgreSQL: it must really run there."""
    assert connection.vendor == ("postgresql" if ON_POSTGRES else "sqlite")


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only: the server's encoding")
def test_postgresql_test_database_is_utf8_and_keeps_chinese():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
    article = Article.objects.create(
        title="集美學村龍舟賽𠮷", body="端午節前夕。", fingerprint="fp-utf8", keywords=["龙舟"]
    )
    article.refresh_from_db()
    assert (article.title, article.keywords) == ("集美學村龍舟賽𠮷", ["龙舟"])
    assert Article.objects.filter(keywords__contains=["龙舟"]).count() == 1


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="PostgreSQL only: SQLite has no row locks (select_for_update is a no-op there; "
    "writers queue on the database lock) and the in-memory test database cannot hold two "
    "writing connections",
)
def test_two_editors_saving_at_once_the_second_is_told_of_the_conflict(transactional_db):
    """Both editors opened the article at the same updated_at. The first holds the row lock
    (select_for_update in article_correct) until it commits; the second waits for it, then
    sees the new updated_at and gets ArticleConflict instead of overwriting."""
    from articles.services import ArticleConflict, article_correct

    article = Article.objects.create(title="原标题", body="正文。", fingerprint="fp-lock")
    opened = Article.objects.get(pk=article.pk).updated_at
    first_saved, release = threading.Event(), threading.Event()
    second_done = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                mine = Article.objects.get(pk=article.pk)
                article_correct(
                    article=mine, changes={"title": "编辑甲"}, user=None, expected_updated_at=opened
                )
                first_saved.set()
                release.wait(10)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_saved.wait(10)
            mine = Article.objects.get(pk=article.pk)
            article_correct(
                article=mine, changes={"title": "编辑乙"}, user=None, expected_updated_at=opened
            )
            outcome["second"] = "saved"
        except ArticleConflict:
            outcome["second"] = "conflict"
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_saved.wait(10)
    assert not second_done.wait(0.5), "the second editor did not wait for the row lock"
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcome == {"second": "conflict"}
    assert Article.objects.get(pk=article.pk).title == "编辑甲"


# --- Elasticsearch: settings and analysis -----------------------------------------------------


@needs_es
def test_search_url_selects_the_chinese_elasticsearch_engine(monkeypatch, tmp_path):
    from django.utils.module_loading import import_string

    values = base_settings(monkeypatch, tmp_path, SEARCH_URL="http://es.internal:9200")
    conn = values["HAYSTACK_CONNECTIONS"]["default"]
    assert conn == {
        "ENGINE": "search.engine.elasticsearch.backend.ChineseElasticsearchEngine",
        "URL": "http://es.internal:9200",
        "INDEX_NAME": "xiamen_news",
        "SILENTLY_FAIL": False,
    }
    engine = import_string(conn["ENGINE"])
    assert engine.backend is es_backend.ChineseElasticsearchSearchBackend
    assert engine.query is es_backend.ChineseElasticsearchSearchQuery
    without = base_settings(monkeypatch, tmp_path)["HAYSTACK_CONNECTIONS"]["default"]
    assert without["ENGINE"] == "search.backends.ChineseWhooshEngine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湖里区的文明城市。厦门", "湖里区|湖里 的 文明城市|文明|城市 _ 厦门"),
        ("。湖里区", "_ 湖里区|湖里"),
        ("集美學村龍舟賽", "集美学村|集美|美学 龙舟赛|龙舟"),
        ("志愿服务队", "志愿 服务队|服务"),
        (
            "iPhone维修点进驻中山路，COVID-19防控",
            "iphone 维修点|维修 进驻 中山路|中山|山路 _ covid-19|covid 防控",
        ),
        ("", ""),
    ],
)
@needs_es
def test_documents_are_pre_segmented_one_token_per_position(text, expected):
    assert es_backend.presegment(text) == expected


def es_analyze(presegmented: str) -> list[tuple[str, int]]:
    """What the mapping's zh_presegmented analyzer does, step by step: the whitespace
    tokenizer (one position per token), pattern_capture (every capture at the token's own
    position), stop on "_" (the token goes, its position stays)."""
    out = []
    for pos, token in enumerate(presegmented.split()):
        out.extend((part, pos) for part in token.split(es_backend.STACK) if part != es_backend.GAP)
    return out


@needs_es
def test_the_elasticsearch_analyzer_yields_our_analyzers_tokens_and_positions():
    from tests.search.conftest import ARTICLES

    texts = [f"{a.title}\n{a.body}" for a in ARTICLES]
    texts += ["厦门。大学", "“湖里区”、思明区……", "同安區ＡＢＣ\x00", "  "]
    for text in texts:
        ours = [(p.text, p.pos) for p in segment(text, stacked=True)]
        assert es_analyze(es_backend.presegment(text)) == ours, text


@needs_es
def test_mapping_reads_pre_segmented_text_and_keeps_exact_values():
    assert es_backend.ANALYSIS["analyzer"] == {
        "zh_presegmented": {
            "type": "custom",
            "tokenizer": "whitespace",
            "filter": ["zh_unstack", "zh_gap"],
        },
        "zh_query": {"type": "custom", "tokenizer": "whitespace", "filter": ["zh_gap"]},
    }


# --- Elasticsearch: the backend against a faked HTTP layer -----------------------------------


class FakeElasticsearch:
    """Answers the requests the backend makes like an Elasticsearch 7.17 server; records them.
    Used as the client's connection class (KWARGS in HAYSTACK_CONNECTIONS)."""

    requests: ClassVar[list[tuple[str, str, Any]]] = []
    search_hits: ClassVar[list[dict[str, Any]]] = []
    fail_bulk: ClassVar[bool] = False

    def __init__(self, host: str = "localhost", port: int | None = None, **kwargs: Any) -> None:
        self.host = f"http://{host}:{port}"

    def perform_request(
        self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None
    ):
        from elasticsearch.exceptions import HTTP_EXCEPTIONS, TransportError

        path = url.split("?")[0]
        if body is not None and path.endswith("/_bulk"):
            text = body.decode() if isinstance(body, bytes) else body
            payload: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        elif body is not None:
            payload = json.loads(body)
        else:
            payload = None
        if path != "/":
            self.requests.append((method, path, payload))
        status, data = self._answer(method, path, payload)
        if status >= 300 and status not in ignore:
            raise HTTP_EXCEPTIONS.get(status, TransportError)(status, "error", data)
        return status, {"x-elastic-product": "Elasticsearch"}, json.dumps(data)

    def _answer(self, method: str, path: str, payload: Any) -> tuple[int, Any]:
        if path == "/":
            version = {"number": "7.17.0", "build_flavor": "default"}
            return 200, {"version": version, "tagline": "You Know, for Search"}
        if path.endswith("/_mapping") and method == "GET":
            return 404, {"error": "index_not_found_exception"}
        if path.endswith("/_bulk"):
            if self.fail_bulk:
                return 500, {"error": "cluster unavailable"}
            return 200, {"took": 1, "errors": False, "items": []}
        if path.endswith("/_search"):
            hits = {"total": {"value": len(self.search_hits)}, "hits": self.search_hits}
            return 200, {"took": 1, "hits": hits, "aggregations": {}}
        return 200, {"acknowledged": True}

    def close(self) -> None:
        pass


@pytest.fixture
def fake_es(settings):
    """The default Haystack connection on our Elasticsearch engine, HTTP faked."""
    from haystack import connections

    info = connections.connections_info["default"]
    saved = dict(info)
    original = settings.HAYSTACK_CONNECTIONS
    info.clear()
    info.update(
        {
            "ENGINE": "search.engine.elasticsearch.backend.ChineseElasticsearchEngine",
            "URL": "http://es.invalid:9200",
            "INDEX_NAME": "xiamen_test",
            "SILENTLY_FAIL": False,
            "KWARGS": {"connection_class": FakeElasticsearch},
        }
    )
    settings.HAYSTACK_CONNECTIONS = {"default": dict(info)}
    connections.reload("default")
    FakeElasticsearch.requests = []
    FakeElasticsearch.search_hits = []
    FakeElasticsearch.fail_bulk = False
    yield FakeElasticsearch
    info.clear()
    info.update(saved)
    # Haystack's engine reads its options from settings, not connections_info: restore both
    # before reloading, or the next test's Whoosh engine gets the Elasticsearch options.
    settings.HAYSTACK_CONNECTIONS = original
    connections.reload("default")


def backend_and_index():
    from haystack import connections

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    return backend, index


def requests_to(fake, method: str, suffix: str) -> list[Any]:
    return [body for m, path, body in fake.requests if m == method and path.endswith(suffix)]


# The index settings: documents arrive pre-segmented ("湖里区|湖里 开展"), alternatives at one
# position split on "|"; queries arrive segmented; "_" (punctuation) keeps a position gap.
INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                "zh_presegmented": {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["zh_unstack", "zh_gap"],
                },
                "zh_query": {"type": "custom", "tokenizer": "whitespace", "filter": ["zh_gap"]},
            },
            "filter": {
                "zh_unstack": {
                    "type": "pattern_capture",
                    "preserve_original": False,
                    "patterns": ["([^|]+)"],
                },
                "zh_gap": {"type": "stop", "stopwords": ["_"]},
            },
        }
    }
}


@needs_es
def test_setup_creates_the_index_with_our_analysis_and_mapping(fake_es):
    backend, _ = backend_and_index()
    backend.setup()
    (created,) = requests_to(fake_es, "PUT", "/xiamen_test")
    assert created == INDEX_SETTINGS
    (mapping,) = requests_to(fake_es, "PUT", "/xiamen_test/_mapping")
    fulltext = {"type": "text", "analyzer": "zh_presegmented", "search_analyzer": "zh_query"}
    # Facets and filters match whole values, as the Whoosh ID fields do.
    keyword = {"type": "keyword"}
    assert mapping == {
        "properties": {
            "id": keyword,
            "django_ct": keyword,
            "django_id": keyword,
            "text": fulltext,
            "title": fulltext,
            "district": keyword,
            "source": keyword,
            "site": keyword,
            "authors": keyword,
            "keywords": keyword,
            "published": {"type": "date"},
            "year": keyword,
            "month": keyword,
            "order": {"type": "long"},
            "digest": {"type": "long"},
        }
    }


@needs_es
@pytest.mark.django_db
def test_documents_are_sent_pre_segmented_with_exact_facet_values(fake_es):
    from articles.models import District, Source

    article = Article.objects.create(
        title="湖里区开展文明城市创建志愿服务活动",
        body="3月5日，湖里区组织青年志愿服务队走进社区。",
        published_date=dt.date(2021, 3, 5),
        district=District.objects.get_or_create(
            name="湖里区", defaults={"short_name": "湖里", "pinyin": "huli", "slug": "huli"}
        )[0],
        source=Source.objects.get_or_create(name="厦门日报", defaults={"slug": "xmrb"})[0],
        authors=[{"role": "记者", "name": "林晓"}],
        keywords=["文明城市"],
        fingerprint="fp-es-doc",
    )
    backend, index = backend_and_index()
    backend.update(index, [article])
    (bulk,) = requests_to(fake_es, "POST", "/_bulk")
    action, doc = bulk
    assert action == {"index": {"_id": f"articles.article.{article.pk}"}}
    assert doc["title"] == "湖里区|湖里 开展 文明城市|文明|城市 创建 志愿 服务 活动"
    # Title, keywords, authors, then the body; "_" holds the position of the comma.
    assert doc["text"] == (
        "湖里区|湖里 开展 文明城市|文明|城市 创建 志愿 服务 活动 文明城市|文明|城市 林晓 "
        "3 月 5 日 _ 湖里区|湖里 组织 青年 志愿 服务队|服务 走进 社区"
    )
    assert {k: doc[k] for k in ("district", "source", "authors", "keywords", "year", "month")} == {
        "district": "湖里区",
        "source": "厦门日报",
        "authors": ["林晓"],
        "keywords": ["文明城市"],
        "year": "2021",
        "month": "2021-03",
    }
    assert doc["published"] == "2021-03-05T00:00:00"
    assert requests_to(fake_es, "POST", "/xiamen_test/_refresh")


@needs_es
@pytest.mark.django_db
def test_a_failed_write_raises_never_silent(fake_es):
    from elasticsearch.exceptions import TransportError

    article = Article.objects.create(title="台风过境", body="市民注意安全。", fingerprint="fp-es-x")
    backend, index = backend_and_index()
    fake_es.fail_bulk = True
    with pytest.raises(TransportError):
        backend.update(index, [article])


def sqs():
    from haystack.query import SearchQuerySet

    return SearchQuerySet().models(Article)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # Words as our analyzer cuts them, all required; 繁体 folded; punctuation dropped.
        (lambda q: q.filter(content="湖里區的文明城市！"), "(湖里区 AND 的 AND 文明城市)"),
        (lambda q: q.filter(title="集美學村"), "title:(集美学村)"),
        # Phrases: the precise cut inside the quotes.
        (lambda q: q.filter(content=_exact("志愿服务")), '("志愿 服务")'),
        (lambda q: q.auto_query('湖里 "志愿服务" -拆迁'), '(湖里 "志愿 服务" NOT 拆迁)'),
        # Latin runs stay whole (escaped for query_string).
        (lambda q: q.filter(content="COVID-19"), "(covid\\-19)"),
        # Exact values on keyword fields are not segmented.
        (lambda q: q.filter(source="厦门日报"), "source:(厦门日报)"),
        (lambda q: q.filter(district=_exact("湖里区")), 'district:("湖里区")'),
    ],
)
@needs_es
def test_queries_are_segmented_like_the_index(fake_es, build, expected):
    assert build(sqs()).query.build_query() == expected


def _exact(text: str) -> Any:
    from haystack.inputs import Exact

    return Exact(text)


@needs_es
@pytest.mark.django_db
def test_search_sends_the_segmented_query_and_highlights_from_the_database(fake_es):
    article = Article.objects.create(
        title="湖里区开展文明城市创建志愿服务活动",
        body="湖里区组织青年志愿服务队走进社区，开展文明城市创建宣传。",
        fingerprint="fp-es-search",
    )
    fake_es.search_hits = [
        {
            "_id": f"articles.article.{article.pk}",
            "_score": 1.5,
            "_source": {"django_ct": "articles.article", "django_id": str(article.pk)},
        }
    ]
    found = sqs().filter(content="湖里區文明城市").highlight()
    results = list(found[:10])
    (body,) = requests_to(fake_es, "POST", "/xiamen_test/_search")
    assert body["query"]["bool"]["must"] == {
        "query_string": {
            "default_field": "text",
            "default_operator": "AND",
            "query": "(湖里区 AND 文明城市)",
            "analyze_wildcard": True,
            "fuzziness": "AUTO",
        }
    }
    assert "highlight" not in body
    assert [r.pk for r in results] == [str(article.pk)]
    (html,) = results[0].highlighted["text"]
    assert "<mark>湖里区</mark>" in html and "<mark>文明城市</mark>" in html


@needs_es
@pytest.mark.parametrize(
    ("built", "words"),
    [
        ('(湖里 "志愿 服务" NOT 拆迁)', ' 湖里 "志愿 服务" -拆迁 '),
        ("((湖里) AND title:(文明))", "  湖里      文明  "),
        ("(covid\\-19 NOT (拆迁))", " covid-19 -拆迁  "),
    ],
)
def test_highlights_mark_the_words_of_the_query_haystack_built(built, words):
    assert es_backend.reader_words(built) == words


# --- Elasticsearch: the reader's query language ----------------------------------------------


@needs_es
def test_reader_query_is_the_whoosh_query_in_elasticsearch_dsl():
    from search.querysyntax import parse

    def term(field: str, word: str) -> dict[str, Any]:
        return {"term": {field: word}}

    def phrase(field: str, words: str) -> dict[str, Any]:
        return {"match_phrase": {field: {"query": words, "analyzer": "zh_query"}}}

    def any_of(*queries: dict[str, Any]) -> dict[str, Any]:
        return {"bool": {"should": list(queries), "minimum_should_match": 1}}

    query = es_query.reader_query(parse('湖里 "志愿服务" -拆迁 集美 OR 海沧 文明城市'))
    assert query == {
        "bool": {
            "must": [
                term("text", "湖里"),
                phrase("text", "志愿 服务"),
                any_of(term("text", "集美"), term("text", "海沧")),
                # A word of 3+ characters also matches its dictionary parts as a phrase.
                any_of(term("text", "文明城市"), phrase("text", "文明 城市")),
            ],
            "must_not": [term("text", "拆迁")],
            "should": [
                any_of(
                    term("title", "湖里"),
                    phrase("title", "志愿 服务"),
                    term("title", "集美"),
                    term("title", "海沧"),
                    any_of(term("title", "文明城市"), phrase("title", "文明 城市")),
                )
            ],
        }
    }
    assert es_query.reader_query(parse("")) == {"match_all": {}}
    assert es_query.reader_query(parse("！？")) == {"match_all": {}}
    assert es_query.reader_query(parse("-拆迁")) == {
        "bool": {"must": [{"match_all": {}}], "must_not": [term("text", "拆迁")]}
    }


@needs_es
@pytest.mark.django_db
def test_rebuild_index_moves_every_visible_article_to_elasticsearch(fake_es):
    """The migration command (docs/scale-out.md): haystack's rebuild_index deletes the index,
    creates it with our settings and mapping and sends every visible article pre-segmented."""
    from django.core.management import call_command

    shown = Article.objects.create(
        title="鼓浪屿游客服务志愿者上岗", body="码头指路。", fingerprint="fp-r1"
    )
    Article.objects.create(
        title="隐藏稿件", body="不应进入索引。", fingerprint="fp-r2", status="hidden"
    )
    fake_es.requests = []
    call_command("rebuild_index", interactive=False, verbosity=0)
    methods = [(m, path) for m, path, _ in fake_es.requests]
    assert methods.index(("DELETE", "/xiamen_test")) < methods.index(("PUT", "/xiamen_test"))
    (created,) = requests_to(fake_es, "PUT", "/xiamen_test")
    assert created == INDEX_SETTINGS
    docs = [line for bulk in requests_to(fake_es, "POST", "/_bulk") for line in bulk[1::2]]
    assert [(d["django_id"], d["title"]) for d in docs] == [
        (str(shown.pk), "鼓浪屿|鼓浪 游客 服务 志愿者|志愿|愿者 上岗")
    ]


@needs_es
@pytest.mark.django_db
def test_the_sites_writes_reach_elasticsearch_pre_segmented(
    fake_es, django_capture_on_commit_callbacks
):
    """Saves and deletes go through search/indexing.py, which writes a search server through
    the backend's update() and remove() after the commit; indexing.rebuild() empties the
    index and fills it again."""
    from search import indexing

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.create(
            title="翔安机场建设进展顺利", body="航站楼完工。", fingerprint="fp-w1"
        )
    ident = f"articles.article.{article.pk}"
    ((action, doc),) = requests_to(fake_es, "POST", "/_bulk")
    assert action == {"index": {"_id": ident}}
    assert doc["title"] == "翔安机场|翔安|机场 建设 进展 顺利"
    fake_es.requests = []
    assert indexing.rebuild() == 1
    methods = [(m, path) for m, path, _ in fake_es.requests]
    assert methods.index(("DELETE", "/xiamen_test")) < methods.index(("POST", "/xiamen_test/_bulk"))
    fake_es.requests = []
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert ("DELETE", f"/xiamen_test/_doc/{ident}") in [(m, p) for m, p, _ in fake_es.requests]
