"""The editors' console as an editor uses it: list, filters, form, conflicts, history, restore."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.cleaning import text_fingerprint
from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem
from articles.models import Article, District, Source
from articles.services import (
    ArticleConflict,
    article_correct,
    article_reclean,
    articles_bulk_update,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"

STORY_BODY = [
    "本报讯（记者 林晓东 通讯员 陈丽）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。",
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场，辖区垃圾分类准确率明显提升。",
]
OTHER_BODY = [
    "本报讯（记者 柯雅婷）全国文明城市年度测评即将开展，同安区文明城市创建各项工作进入冲刺阶段。",
    "同安区文明办相关负责人介绍，今年全区列入计划的186条背街小巷整治任务已全部完成。",
]


def page(
    title: str, body: list[str], *, date: str = "2021-11-13 09:11:07", source: str = "厦门日报"
) -> bytes:
    lines = [title, f"{date}    来源:{source}", *body, "责任编辑:王芳"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_page(name: str, raw: bytes, *, default_year: int | None = None) -> Article:
    report = articles_import_batch(items=[RawItem(name=name, raw=raw)], default_year=default_year)
    assert report.imported == 1, report.items
    return Article.objects.get(pk=report.items[0].article_id)


@pytest.fixture
def story() -> Article:
    return import_page("story.txt", page("湖里区禾山街道开展垃圾分类志愿服务", STORY_BODY))


@pytest.fixture
def other() -> Article:
    return import_page(
        "other.txt",
        page("同安区迎接全国文明城市复查", OTHER_BODY, date="2020-09-15 09:40", source="海峡导报"),
    )


@pytest.fixture
def editor(db):
    call_command("setup_editors", verbosity=0)
    user = get_user_model().objects.create_user("lin", password="pw-lin-123", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(client: Client, article: Article, *, url: str = "", **changes: str) -> dict[str, str]:
    """The change form's fields as the browser would post them, with `changes` applied."""
    html = client.get(url or change_url(article)).content.decode()
    data: dict[str, object] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        if name not in ("csrfmiddlewaretoken",):
            data[name] = _unescape(value)
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S
    ):
        data[name] = _unescape(value).replace("\n", "\r\n")  # browsers post CRLF
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = selected.group(1) if selected else ""
    checked = re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]*)"[^>]*checked', html)
    data.pop("needs_review", None)
    data.pop("corrected_fields", None)
    for name, value in checked:
        if name == "corrected_fields":
            data.setdefault("corrected_fields", []).append(value)  # type: ignore[union-attr]
        else:
            data[name] = value
    for key in ("source", "site", "district"):
        data.setdefault(key, "")
    data.update(changes)
    return data  # type: ignore[return-value]


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


# --- The editor group -------------------------------------------------------------------------


def test_setup_editors_gives_exactly_the_editor_permissions_and_is_idempotent(db):
    call_command("setup_editors", verbosity=0)
    group = Group.objects.get(name="editor")
    extra = Permission.objects.get(codename="delete_source")
    group.permissions.add(extra)
    call_command("setup_editors", verbosity=0)
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_article",
        "add_importjob",
        "change_article",
        "change_source",
        "delete_article",
        "view_article",
        "view_district",
        "view_historicalarticle",
        "view_importbatch",
        "view_importjob",
        "view_source",
    ]
    assert Group.objects.filter(name="editor").count() == 1


def test_setup_editors_demo_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="只能在 DEBUG 模式下使用"):
        call_command("setup_editors", "--demo", verbosity=0)
    assert not get_user_model().objects.filter(username__in=["editor", "admin"]).exists()


def test_setup_editors_demo_users_in_debug(db, settings):
    settings.DEBUG = True
    call_command("setup_editors", "--demo", verbosity=0)
    call_command("setup_editors", "--demo", verbosity=0)
    users = get_user_model().objects
    editor, admin_user = users.get(username="editor"), users.get(username="admin")
    assert (editor.is_staff, editor.is_superuser, editor.check_password("editor-demo")) == (
        True,
        False,
        True,
    )
    assert list(editor.groups.values_list("name", flat=True)) == ["editor"]
    assert (admin_user.is_superuser, admin_user.check_password("admin-demo")) == (True, True)


def test_editor_cannot_manage_users_or_groups(client):
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/auth/user/add/").status_code == 403
    index = client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index
    assert "/admin/articles/article/" in index


def test_anonymous_is_sent_to_login(db):
    response = Client().get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- The article list -------------------------------------------------------------------------


def titles(response) -> list[str]:
    return [a.title for a in response.context["cl"].result_list]


def test_changelist_lists_and_filters(client, story, other):
    other.needs_review = True
    other.status = Article.Status.HIDDEN
    other.save()
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert titles(response) == ["湖里区禾山街道开展垃圾分类志愿服务", "同安区迎接全国文明城市复查"]
    html = response.content.decode()
    assert "导入稿件" in html and "/admin/articles/article/import/" in html
    assert "已删除稿件" in html
    huli = District.objects.get(name="湖里区")
    assert titles(client.get(f"{CHANGELIST}?district__id__exact={huli.pk}")) == [story.title]
    assert titles(client.get(f"{CHANGELIST}?year=2020")) == [other.title]
    assert titles(client.get(f"{CHANGELIST}?needs_review__exact=1")) == [other.title]
    assert titles(client.get(f"{CHANGELIST}?status__exact=hidden")) == [other.title]
    source = Source.objects.get(name="海峡导报")
    assert titles(client.get(f"{CHANGELIST}?source__id__exact={source.pk}")) == [other.title]
    assert titles(client.get(f"{CHANGELIST}?q=背街小巷")) == [other.title]  # body search
    assert titles(client.get(f"{CHANGELIST}?q=禾山街道")) == [story.title]


# --- The change form --------------------------------------------------------------------------


def test_change_form_shows_raw_page_escaped_and_friendly_lists(client, db):
    raw = page("思明区<script>alert(1)</script>新闻", STORY_BODY)
    article = import_page("xss.txt", raw)
    html = client.get(change_url(article)).content.decode()
    assert 'class="raw-panel"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "重新清洗" in html
    assert re.search(r'name="authors"[^>]*>\n?记者 林晓东\n通讯员 陈丽</textarea>', html)


def test_save_changes_district_and_records_who_and_what(client, editor, story):
    siming = District.objects.get(name="思明区")
    data = form_data(client, story, district=str(siming.pk))
    response = client.post(change_url(story), data, follow=True)
    assert response.status_code == 200
    assert "成功修改了 稿件“<a href=" in response.content.decode()
    story.refresh_from_db()
    assert story.district.name == "思明区"
    assert story.corrected_fields == ["district"]  # the CRLF body was not counted as a change
    record = story.history.first()
    assert record.history_user == editor
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("corrected_fields", [], ["district"]),
        ("district", District.objects.get(name="湖里区").pk, siming.pk),
    ]


def test_authors_lines_become_json(client, story):
    data = form_data(
        client,
        story,
        authors="记者 罗子泓\r\n摄影\u3000王火炎\r\n\r\n佚名",
        keywords="垃圾分类\r\n志愿服务",
    )
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.authors == [
        {"role": "记者", "name": "罗子泓"},
        {"role": "摄影", "name": "王火炎"},
        {"role": "", "name": "佚名"},
    ]
    assert story.keywords == ["垃圾分类", "志愿服务"]
    assert story.corrected_fields == ["authors", "keywords"]


def test_body_equal_to_another_article_is_refused(client, story, other):
    data = form_data(client, story, body="\r\n".join(OTHER_BODY))
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert f"正文与稿件 #{other.pk} 相同" in response.content.decode()
    story.refresh_from_db()
    assert story.body == "\n".join(STORY_BODY)


def test_conflicting_save_is_refused_and_keeps_the_editors_input(client, story):
    stale = form_data(client, story, title="湖里禾山街道垃圾分类志愿服务（编辑甲）")
    other_editor = get_user_model().objects.create_user("chen", is_staff=True)
    article_correct(article=story, changes={"keywords": ["抢先修改"]}, user=other_editor)

    response = client.post(change_url(story), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "保存冲突：这篇稿件在您打开之后已被 chen 于" in html
    assert "对方改动了：关键词。" in html
    assert 'value="湖里禾山街道垃圾分类志愿服务（编辑甲）"' in html  # nothing typed is lost
    story.refresh_from_db()
    assert (story.title, story.keywords) == ("湖里区禾山街道开展垃圾分类志愿服务", ["抢先修改"])

    # Saving again from the conflict page is a deliberate overwrite and goes through.
    stamp = re.search(r'name="expected_updated_at" value="([^"]+)"', html).group(1)
    assert (
        client.post(change_url(story), {**stale, "expected_updated_at": stamp}).status_code == 302
    )
    story.refresh_from_db()
    assert story.title == "湖里禾山街道垃圾分类志愿服务（编辑甲）"


def test_article_correct_refuses_stale_edit(story):
    opened = story.updated_at
    article_correct(article=story, changes={"title": "新标题一"}, user=None)
    with pytest.raises(ArticleConflict):
        article_correct(
            article=story, changes={"title": "新标题二"}, user=None, expected_updated_at=opened
        )
    story.refresh_from_db()
    assert story.title == "新标题一"


# --- History, revert, delete and restore ------------------------------------------------------


def test_history_shows_who_and_the_field_diff(client, story):
    data = form_data(client, story, title="改过的标题")
    client.post(change_url(story), data)
    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    assert "lin" in html
    assert "湖里区禾山街道开展垃圾分类志愿服务" in html and "改过的标题" in html
    assert "标题" in html


def test_revert_through_the_history_view(client, story):
    original = story.history.earliest()
    client.post(change_url(story), form_data(client, story, title="改错的标题"))
    story.refresh_from_db()
    assert story.title == "改错的标题"
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[story.pk, original.history_id]
    )
    html = client.get(revert_url).content.decode()
    assert 'value="湖里区禾山街道开展垃圾分类志愿服务"' in html
    data = form_data(client, story, url=revert_url)
    response = client.post(revert_url, data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "湖里区禾山街道开展垃圾分类志愿服务"
    assert story.history.count() == 3  # created, edited, reverted


def test_revert_page_shows_what_reverting_changes(client, story):
    original = story.history.earliest()
    data = form_data(client, story, title="改错的标题", district="", keywords="垃圾分类\n志愿服务")
    client.post(change_url(story), data)
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[story.pk, original.history_id]
    )
    html = client.get(revert_url).content.decode()
    section = re.search(r'<section class="revert-diff".*?</section>', html, re.S).group(0)
    assert "还原会改变的内容（当前 → 还原后）" in section
    items = re.findall(
        r"<li><strong>(.*?)：</strong><del>(.*?)</del> → <ins>(.*?)</ins></li>", section
    )
    assert items == [
        ("标题", "改错的标题", "湖里区禾山街道开展垃圾分类志愿服务"),
        ("行政区", "（空）", "湖里区"),
        ("关键词", "垃圾分类、志愿服务", "（空）"),
    ]
    assert html.index("revert-diff") < html.index('name="title"')
    client.post(revert_url, form_data(client, story, url=revert_url))
    html = client.get(revert_url).content.decode()
    assert "这个版本与当前稿件相同，还原不会改变任何内容。" in html


def test_delete_then_restore(client, editor, story):
    pk, raw_id = story.pk, story.raw_page_id
    response = client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=pk).exists()
    deleted_url = reverse("admin:articles_article_deleted")
    html = client.get(deleted_url).content.decode()
    assert "湖里区禾山街道开展垃圾分类志愿服务" in html
    record = Article.history.get(id=pk, history_type="-")
    response = client.post(
        reverse("admin:articles_article_restore", args=[record.history_id]), follow=True
    )
    assert (
        f'已恢复稿件 <a href="/admin/articles/article/{pk}/change/">#{pk}'
        in response.content.decode()
    )
    restored = Article.objects.get(pk=pk)
    assert (restored.title, restored.raw_page_id, restored.district.name) == (
        "湖里区禾山街道开展垃圾分类志愿服务",
        raw_id,
        "湖里区",
    )
    assert restored.history.first().history_user == editor
    assert "没有已删除的稿件" in client.get(deleted_url).content.decode()


def test_restore_refused_when_the_body_was_imported_again(client, story):
    pk = story.pk
    client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    again = import_page(
        "again.html",
        b"<html><body><h1>"
        + story.title.encode()
        + b"</h1>"
        + b"".join(f"<p>{p}</p>".encode() for p in STORY_BODY)
        + b"</body></html>",
        default_year=2021,
    )
    record = Article.history.get(id=pk, history_type="-")
    response = client.post(
        reverse("admin:articles_article_restore", args=[record.history_id]), follow=True
    )
    assert f"无法恢复：正文与稿件 #{again.pk} 相同" in response.content.decode()
    assert not Article.objects.filter(pk=pk).exists()


# --- Re-clean ---------------------------------------------------------------------------------


def test_reclean_keeps_corrected_fields_and_restores_the_rest(client, story):
    article_correct(article=story, changes={"title": "编辑改的标题"}, user=None)
    Article.objects.filter(pk=story.pk).update(keywords=["被弄乱的"], district=None)
    response = client.post(reverse("admin:articles_article_reclean", args=[story.pk]), follow=True)
    html = response.content.decode()
    assert "已重新清洗。更新了：行政区、关键词。保留了人工修改的：标题。" in html
    story.refresh_from_db()
    assert story.title == "编辑改的标题"
    assert story.district.name == "湖里区"
    assert story.history.first().history_change_reason == "重新清洗"


def test_reclean_unchanged_article_changes_nothing(story):
    before = story.history.count()
    assert article_reclean(article=story, user=None) == []
    assert story.history.count() == before


def test_reclean_without_raw_page_is_refused(client, story):
    Article.objects.filter(pk=story.pk).update(raw_page=None)
    response = client.post(reverse("admin:articles_article_reclean", args=[story.pk]), follow=True)
    assert "无法重新清洗：这篇稿件没有保存原始网页" in response.content.decode()


# --- Bulk actions -----------------------------------------------------------------------------


def test_bulk_set_district_asks_then_applies(client, story, other):
    ids = [str(story.pk), str(other.pk)]
    post = {"action": "set_district", "_selected_action": ids}
    response = client.post(CHANGELIST, post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "为选中的 2 篇稿件设置行政区" in html
    assert Article.objects.filter(district__name="海沧区").count() == 0
    haicang = District.objects.get(name="海沧区")
    response = client.post(
        CHANGELIST, {**post, "apply": "1", "value": str(haicang.pk)}, follow=True
    )
    assert "已将 2 篇稿件的行政区设为“海沧区”。" in response.content.decode()
    assert sorted(Article.objects.values_list("district__name", "corrected_fields")) == [
        ("海沧区", ["district"]),
        ("海沧区", ["district"]),
    ]


def test_bulk_set_district_needs_an_explicit_choice(client, story, other):
    post = {"action": "set_district", "_selected_action": [str(story.pk), str(other.pk)]}
    html = client.post(CHANGELIST, post).content.decode()
    select_tag = re.search(r'<select name="value"[^>]*>(.*?)</select>', html, re.S)
    assert "required" not in select_tag.group(0).split(">")[0]  # the server's message, in Chinese
    select = select_tag.group(1)
    assert re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)[:3] == [
        ("", " selected", "— 请选择 —"),  # only the placeholder, which is refused
        ("clear", "", "（清空：不属于任何区）"),
        (str(District.objects.first().pk), "", District.objects.first().name),
    ]
    before = sorted(Article.objects.values_list("pk", "district__name", "corrected_fields"))
    html = client.post(CHANGELIST, {**post, "apply": "1", "value": ""}).content.decode()
    assert "请选择行政区；要清空，请选择“（清空：不属于任何区）”。没有修改任何稿件。" in html
    html = client.post(CHANGELIST, {**post, "apply": "1", "value": "999999"}).content.decode()
    assert "选择一个有效的选项" in html
    assert sorted(Article.objects.values_list("pk", "district__name", "corrected_fields")) == before
    response = client.post(CHANGELIST, {**post, "apply": "1", "value": "clear"}, follow=True)
    assert "已将 2 篇稿件的行政区清空。" in response.content.decode()
    assert list(Article.objects.values_list("district", flat=True)) == [None, None]


def test_bulk_set_source_needs_an_explicit_choice(client, story):
    post = {"action": "set_source", "_selected_action": [str(story.pk)], "apply": "1"}
    html = client.post(CHANGELIST, post).content.decode()
    assert "请选择来源；要清空，请选择“（清空：无来源）”。没有修改任何稿件。" in html
    story.refresh_from_db()
    assert story.source.name == "厦门日报"
    client.post(CHANGELIST, {**post, "value": "clear"})
    story.refresh_from_db()
    assert story.source is None


def test_empty_district_and_source_read_as_none_in_chinese(client, story):
    Article.objects.filter(pk=story.pk).update(district=None, source=None)
    html = client.get(CHANGELIST).content.decode()
    assert '<td class="field-source nowrap">（无）</td>' in html
    assert '<td class="field-district nowrap">（无）</td>' in html
    assert '<a href="?district__isnull=True">（无）</a>' in html  # the district filter
    assert ">-<" not in html


def test_bulk_set_source(client, story, other):
    target = Source.objects.get(name="厦门日报")
    post = {
        "action": "set_source",
        "_selected_action": [str(other.pk)],
        "apply": "1",
        "value": str(target.pk),
    }
    response = client.post(CHANGELIST, post, follow=True)
    assert "已将 1 篇稿件的来源设为“厦门日报”。" in response.content.decode()
    other.refresh_from_db()
    assert other.source == target


def test_bulk_hide_publish_and_mark_reviewed(client, story, other):
    ids = [str(story.pk), str(other.pk)]
    response = client.post(CHANGELIST, {"action": "hide", "_selected_action": ids}, follow=True)
    assert "2 篇稿件已隐藏。" in response.content.decode()
    assert set(Article.objects.values_list("status", flat=True)) == {"hidden"}
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [ids[0]]})
    assert Article.objects.get(pk=story.pk).status == "published"
    assert Article.objects.get(pk=other.pk).status == "hidden"
    Article.objects.update(needs_review=True)
    client.post(CHANGELIST, {"action": "mark_reviewed", "_selected_action": ids})
    assert list(Article.objects.values_list("needs_review", flat=True)) == [False, False]
    assert Article.objects.get(pk=story.pk).corrected_fields == ["needs_review"]


def test_bulk_update_counts_only_changed(story, other):
    Article.objects.filter(pk=other.pk).update(status="hidden")
    count = articles_bulk_update(
        articles=Article.objects.all(), changes={"status": "hidden"}, user=None
    )
    assert count == 1


# --- Corrections reach search at once ---------------------------------------------------------


def test_saved_correction_is_in_search_at_once(
    search_index, client, story, django_capture_on_commit_callbacks
):
    from search.query import SearchParams, search_articles

    siming = District.objects.get(name="思明区")
    data = form_data(client, story, district=str(siming.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(story), data).status_code == 302
    page = search_articles(SearchParams(q="禾山街道"))
    assert [(hit.id, hit.district) for hit in page.hits] == [(story.pk, "思明区")]
    assert [(f.value, f.count) for f in page.facets["district"]] == [("思明区", 1)]


def test_bulk_hide_leaves_search_at_once(
    search_index, client, story, django_capture_on_commit_callbacks
):
    from search.indexing import index_articles
    from search.query import SearchParams, search_articles

    index_articles([story.pk])
    assert search_articles(SearchParams(q="禾山街道")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "hide", "_selected_action": [str(story.pk)]})
    assert search_articles(SearchParams(q="禾山街道")).total == 0


def test_editor_adds_an_article_by_hand(client):
    response = client.post(
        "/admin/articles/article/add/",
        {
            "title": "手工录入的稿件",
            "body": "第一段。\r\n\r\n第二段。",
            "status": "published",
            "published_date": "2023-05-01",
            "authors": "记者 罗子泓",
            "district": str(District.objects.get(name="集美区").pk),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="手工录入的稿件")
    assert (article.body, article.district.name) == ("第一段。\n第二段。", "集美区")
    assert article.authors == [{"role": "记者", "name": "罗子泓"}]
    assert article.corrected_fields == ["title", "body", "published_date", "district", "authors"]
    assert article.fingerprint == text_fingerprint("第一段。\n第二段。")


def test_editor_sees_the_console_pages_but_cannot_change_districts(client, story):
    for url in [
        "/admin/articles/importbatch/",
        "/admin/articles/importjob/",
        "/admin/articles/source/",
        "/admin/articles/district/",
        f"/admin/articles/article/{story.pk}/history/",
        "/admin/articles/article/deleted/",
    ]:
        assert client.get(url).status_code == 200, url
    huli = District.objects.get(name="湖里区")
    html = client.get(f"/admin/articles/district/{huli.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    response = client.post(f"/admin/articles/district/{huli.pk}/change/", {"name": "改名区"})
    assert response.status_code == 403
    assert client.get("/admin/articles/district/add/").status_code == 403


def test_reclean_of_a_jsonl_record_and_a_zip_entry(db):
    import gzip
    import json

    from articles.importing.readers import iter_blob

    record = {
        "title": "同安区迎接全国文明城市复查",
        "body": "\n".join(OTHER_BODY),
        "published": "2020-09-15",
    }
    line = json.dumps(record, ensure_ascii=False).encode()
    items = [
        *iter_blob("feed.jsonl.gz", gzip.compress(line)),
        RawItem(
            name="pages.zip:pages/story.txt",
            raw=page("湖里区禾山街道开展垃圾分类志愿服务", STORY_BODY),
        ),
    ]
    report = articles_import_batch(items=items)
    assert report.imported == 2
    for item in report.items:
        article = Article.objects.get(pk=item.article_id)
        Article.objects.filter(pk=article.pk).update(title="乱掉的标题")
        article.refresh_from_db()
        assert article_reclean(article=article, user=None) == ["title"]
        article.refresh_from_db()
        assert article.title == item.clean.title


def test_restore_after_its_raw_page_and_source_were_deleted(client, story):
    from articles.models import RawPage

    pk, raw_id, source_id = story.pk, story.raw_page_id, story.source_id
    client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    RawPage.objects.filter(pk=raw_id).delete()
    Article.objects.filter(source_id=source_id).exists() or Source.objects.filter(
        pk=source_id
    ).delete()
    record = Article.history.get(id=pk, history_type="-")
    client.post(reverse("admin:articles_article_restore", args=[record.history_id]))
    restored = Article.objects.get(pk=pk)
    assert (restored.raw_page_id, restored.source_id, restored.district.name) == (
        None,
        None,
        "湖里区",
    )


def test_history_diff_speaks_the_editors_language(client, story):
    data = form_data(client, story, district="", authors="记者 罗子泓", captions="图一\n图二")
    assert client.post(change_url(story), data).status_code == 302
    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    assert "<strong>行政区：</strong><del>湖里区</del> → <ins>（空）</ins>" in html
    assert (
        "<strong>作者：</strong><del>记者 林晓东、通讯员 陈丽</del> → <ins>记者 罗子泓</ins>"
        in html
    )
    assert "<del>（空）</del> → <ins>行政区、作者、图片说明</ins>" in html
    assert "<strong>图片说明：</strong><del>（空）</del> → <ins>图一<br>图二</ins>" in html
    assert "[" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "Deleted" not in html


# --- Django's admin strings that Django 6.1 lacks in zh_Hans (locale/) ------------------------


def test_admin_javascript_catalog_has_the_time_zone_note_in_chinese(client):
    script = client.get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S).group(1))
    behind = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)"
    assert catalog[behind] == [
        "注意：请按 %(timezone)s 时区输入时间（你所在的时区比它慢 %(offset)s 小时）。"
    ]
    assert catalog["server"] == "服务器"
    assert catalog["Now"] == "现在"  # Django's own translations still apply


def test_django_strings_missing_upstream_are_translated(db):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("- Select an option -") == "— 请选择 —"
        assert translation.gettext("Today") == "今天"  # Django's own translations still apply
