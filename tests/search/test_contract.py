"""The search contract: exact results on hand-written Chinese articles (see conftest.py).

Everything goes through search.query.search_articles, the interface the page and the API use,
so another Haystack backend can run the same suite by pointing HAYSTACK_CONNECTIONS at it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from search.query import SearchParams, search_articles

pytestmark = pytest.mark.django_db(transaction=True)


def run(articles, q="", **kw):
    kw.setdefault("page_size", 100)
    return search_articles(SearchParams(q=q, **kw))


def keys(articles, q="", **kw):
    by_id = {a.pk: k for k, a in articles.items()}
    return [by_id[h.id] for h in run(articles, q, **kw).hits]


def key_set(articles, q="", **kw):
    return set(keys(articles, q, **kw))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("湖里区", {"civic", "games", "homes"}),
        ("湖里", {"civic", "games", "homes"}),  # sub-word of 湖里区
        ("文明", {"civic"}),  # sub-word of 文明城市; the hidden article never shows
        ("厦门大学", {"campus"}),
        ("大学", {"campus"}),
        ("志愿 服务", {"civic", "ferry", "storm"}),  # both words, any order
        ("鼓浪屿 码头", {"ferry", "phone"}),
        ("运动会", {"games"}),
        ("不存在的词语", set()),
    ],
)
def test_words_and_subwords(articles, q, expected):
    assert key_set(articles, q) == expected


def test_phrases_match_in_order_only(articles):
    assert key_set(articles, '"志愿服务"') == {"civic", "storm"}
    assert key_set(articles, '"服务志愿"') == {"ferry"}
    assert key_set(articles, "“志愿服务”") == {"civic", "storm"}  # curly quotes


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("同安區", {"parks"}),  # traditional query, simplified text
        ("龙舟", {"dragon"}),  # simplified query, traditional text
        ("龍舟", {"dragon"}),
        ("集美学村", {"dragon"}),
    ],
)
def test_traditional_and_simplified(articles, q, expected):
    assert key_set(articles, q) == expected


def test_exclusion_and_or(articles):
    assert key_set(articles, "湖里 -拆迁") == {"civic", "games"}
    assert key_set(articles, '湖里 -"志愿服务"') == {"games", "homes"}
    assert key_set(articles, "龙舟 OR 机场") == {"dragon", "airport"}
    assert key_set(articles, "湖里 运动会 OR 拆迁") == {"games", "homes"}


def test_latin_digits_and_single_characters(articles):
    assert key_set(articles, "IPHONE") == {"phone"}
    assert key_set(articles, "ｉＰｈｏｎｅ") == {"phone"}  # full-width
    assert key_set(articles, "covid-19") == {"phone"}
    assert key_set(articles, "在") == {"ferry", "parks", "phone"}  # a character cut as a word
    assert key_set(articles, "湖") == set()  # never inside a longer word (documented)


ALL_PUBLISHED = {"civic", "ferry", "parks", "dragon", "cars", "airport", "campus", "games",
                 "phone", "homes", "storm"}  # fmt: skip


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ALL_PUBLISHED),
        ("   ", ALL_PUBLISHED),
        ("！！？？", ALL_PUBLISHED),  # nothing searchable: an empty query
        ("*", ALL_PUBLISHED),
        ('"湖里', {"civic", "games", "homes"}),  # unbalanced quote
        ("(湖里", {"civic", "games", "homes"}),
        ("湖里)", {"civic", "games", "homes"}),
        ("[湖里]", {"civic", "games", "homes"}),
        ("湖里:", {"civic", "games", "homes"}),
        ("district:湖里", set()),  # "district" is a word like any other
        ("湖里*", {"civic", "games", "homes"}),
        ("湖里\x00", {"civic", "games", "homes"}),
        ("OR 湖里 OR", {"civic", "games", "homes"}),
        ("-", ALL_PUBLISHED),
        ("湖里" + "测" * 4998, set()),
        ("AND NOT 湖里", set()),
    ],
)
def test_empty_and_malformed_queries(articles, q, expected):
    assert key_set(articles, q) == expected


def test_browse_with_filters_and_facets(articles):
    page = run(articles, "")
    assert page.total == 11
    assert [(f.value, f.count) for f in page.facets["district"]] == [
        ("思明区", 3), ("湖里区", 3), ("集美区", 1), ("海沧区", 1), ("同安区", 1), ("翔安区", 1),
    ]  # fmt: skip
    assert [(f.value, f.count) for f in page.facets["source"]] == [
        ("厦门日报", 3), ("厦门晚报", 2), ("厦门网", 2), ("东南网", 1), ("台海网", 1), ("海峡导报", 1),
    ]  # fmt: skip
    assert [(f.value, f.count) for f in page.facets["year"]] == [
        ("2023", 4), ("2022", 3), ("2021", 3),
    ]  # fmt: skip
    assert page.facets["month"][0].value == "2023-08"
    filtered = run(articles, "", district="湖里区")
    assert filtered.total == 3
    assert [(f.value, f.count) for f in filtered.facets["district"]] == [("湖里区", 3)]
    assert [(f.value, f.count) for f in filtered.facets["year"]] == [
        ("2023", 1), ("2022", 1), ("2021", 1),
    ]  # fmt: skip


def test_filters_match_exact_values(articles):
    assert key_set(articles, "", source="厦门日报") == {"civic", "campus", "homes"}
    assert key_set(articles, "", source="厦门") == set()
    assert key_set(articles, "", district="湖里") == set()
    assert key_set(articles, "", year=2021) == {"civic", "ferry", "campus"}
    assert key_set(articles, "", month="2021-03") == {"civic"}
    assert key_set(articles, "湖里", year=2022) == {"games"}
    since = dt.date(2023, 3, 3)
    assert key_set(articles, "", date_from=since) == {"phone", "airport", "homes"}
    assert key_set(articles, "", date_from=since, date_to=since) == {"phone"}


def test_facets_count_the_whole_match_set(articles):
    page = run(articles, "湖里 OR 思明区", page_size=1)
    assert page.total == 5
    assert len(page.hits) == 1
    assert [(f.value, f.count) for f in page.facets["district"]] == [("思明区", 2), ("湖里区", 3)]


def test_highlights_are_escaped_and_marked(articles):
    hit = run(articles, "湖里区").hits
    games = next(h for h in hit if h.id == articles["games"].pk)
    assert games.title == "<script>alert(1)</script>湖里区举办社区运动会"
    assert (
        games.title_html == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>湖里区</mark>举办社区运动会"
    )
    assert games.snippet == "<mark>湖里区</mark>殿前街道举办社区运动会，居民踊跃参加拔河比赛。"
    civic = run(articles, '"志愿服务"').hits
    assert "组织青年<mark>志愿服务</mark>队走进社区" in civic[-1].snippet or any(
        "组织青年<mark>志愿服务</mark>队走进社区" in h.snippet for h in civic
    )
    dragon = run(articles, "龙舟").hits[0]
    assert dragon.title_html == "集美學村<mark>龍舟</mark>賽開賽"


def test_hit_fields(articles):
    hit = run(articles, "运动会").hits[0]
    assert hit.url == f"/articles/{articles['games'].pk}/"
    assert hit.published == "2022-10-01"
    assert (hit.source, hit.district) == ("厦门晚报", "湖里区")


def test_hit_rows_read_by_the_kept_statement_equal_the_querysets(articles):
    from search.query import _hit_queryset, _hit_rows

    ids = sorted(a.pk for a in articles.values())
    for n in (1, 2, len(ids)):  # a statement per number of ids, kept and used again
        for _ in range(2):
            chosen = ids[-n:]
            assert sorted(_hit_rows(chosen)) == sorted(_hit_queryset(chosen))
    rows = _hit_rows(ids)
    assert all(isinstance(row[3], dt.date | None) for row in rows)  # converted, not strings
    assert sorted(_hit_rows([ids[0], ids[0]])) == sorted(_hit_queryset([ids[0]]))
    assert _hit_rows([max(ids) + 1]) == []


def test_sorting(articles):
    assert keys(articles, "鼓浪屿") == ["ferry", "phone"]  # in the title ranks first
    assert keys(articles, "鼓浪屿", sort="newest") == ["phone", "ferry"]
    assert keys(articles, "", district="思明区", sort="oldest") == ["campus", "ferry", "phone"]
    assert keys(articles, "", district="思明区") == ["phone", "ferry", "campus"]  # browse: newest
    assert keys(articles, "")[-1] == "storm"  # undated last


def test_paging(articles):
    pages = [keys(articles, "", page=n, page_size=4) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [4, 4, 3]
    assert set(pages[0] + pages[1] + pages[2]) == ALL_PUBLISHED
    beyond = run(articles, "", page=4, page_size=4)
    assert (beyond.total, beyond.hits) == (11, [])


def test_correction_shows_at_once(articles):
    parks = articles["parks"]
    parks.title = "翔安区新建三座口袋公园"
    parks.district = articles["airport"].district
    parks.save()
    assert key_set(articles, "", district="同安区") == set()
    assert key_set(articles, "翔安", district="翔安区") == {"parks", "airport"}


def test_deletion_and_hiding_show_at_once(articles):
    articles["civic"].delete()
    assert key_set(articles, "文明") == set()
    homes = articles["homes"]
    homes.status = "hidden"
    homes.save()
    assert key_set(articles, "拆迁") == set()
    homes.status = "published"
    homes.save()
    assert key_set(articles, "拆迁") == {"homes"}


def test_two_writers_at_the_same_time(articles):
    """Two threads write to the index at once: both updates land, neither raises.

    The titles change through update() (no signal) so that only the index writes race; the
    test database (SQLite in memory) would otherwise lock its tables between the threads.
    """
    import threading

    from django.db import connection

    from search import indexing

    model = type(articles["cars"])
    model.objects.filter(pk=articles["cars"].pk).update(title="海沧区新能源汽车整车项目签约")
    model.objects.filter(pk=articles["airport"].pk).update(title="翔安机场航站楼整车通道完工")
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def reindex(pk: int) -> None:
        try:
            barrier.wait(timeout=10)
            indexing.index_articles([pk])
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reindex, args=(articles[k].pk,)) for k in ("cars", "airport")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert key_set(articles, "整车") == {"cars", "airport"}


def test_batch_writes_once_at_exit(articles):
    from search import indexing
    from tests.search.conftest import Spec, make_article

    with indexing.batch():
        make_article(Spec("late", "思明区新开一座书店", "书店位于中山路。", "思明区", None, None))
        articles["games"].delete()
        assert run(articles, "书店").total == 0  # not written yet
        assert run(articles, "运动会").total == 1
    assert [h.title for h in run(articles, "书店").hits] == ["思明区新开一座书店"]
    assert run(articles, "运动会").total == 0


def test_rebuild_replaces_the_index(articles):
    from search import indexing

    type(articles["cars"]).objects.filter(pk=articles["cars"].pk).update(status="hidden")
    assert key_set(articles, "新能源") == {"cars"}  # update() sends no signal
    assert indexing.rebuild(batch_size=4) == 10
    assert key_set(articles, "新能源") == set()
    assert run(articles, "").total == 10


def test_batch_that_raises_still_indexes_what_was_saved(articles):
    from django.db import transaction

    from search import indexing
    from tests.search.conftest import Spec, make_article

    with pytest.raises(RuntimeError), indexing.batch():
        make_article(Spec("saved", "集美新城图书馆开放", "图书馆开放。", "集美区", None, None))
        raise RuntimeError("the import stopped half-way")
    assert [h.title for h in run(articles, "图书馆").hits] == ["集美新城图书馆开放"]
    with pytest.raises(RuntimeError), transaction.atomic(), indexing.batch():
        make_article(Spec("gone", "翔安新城体育馆开放", "体育馆开放。", "翔安区", None, None))
        raise RuntimeError("rolled back")
    assert run(articles, "体育馆").total == 0
