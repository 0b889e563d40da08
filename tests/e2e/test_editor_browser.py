"""An editor in real Chromium: correct a district, import a page with preview, revert a change."""

from __future__ import annotations

import importlib
from urllib.parse import quote

import pytest

STORY = (
    "湖里区禾山街道开展垃圾分类志愿服务\n"
    "2021-11-13 09:11:07    来源:厦门日报\n"
    "本报讯（记者 林晓东）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。\n"
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场，辖区垃圾分类准确率明显提升。\n"
)
UPLOAD = (
    "海沧新阳街道举行企业用工对接会\n"
    "2022-08-20 10:00    来源:厦门晚报\n"
    "本报讯（记者 陈露）8月20日，海沧区新阳街道举行企业用工对接会，二十余家企业带来一千多个岗位。\n"
    "新阳街道负责人表示，街道将继续做好企业服务，帮助辖区企业解决招工难题。\n"
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def seed_districts() -> None:
    """Transactional tests flush the migration's seed; put the six districts back."""
    seed = importlib.import_module("articles.migrations.0002_seed_districts")
    from django.apps import apps

    seed.seed(apps, None)


def empty_index() -> None:
    """Transactional tests flush the database but not the search index: start from empty."""
    from haystack import connections
    from whoosh.query import Every

    # Another test may have left this thread's backend on its own temporary index.
    backend = connections.reload("default").get_backend()
    backend.clear()
    if backend.state.index.doc_count():
        writer = backend.state.index.writer(timeout=10.0)
        writer.delete_by_query(Every())
        writer.commit()


@pytest.fixture
def editor_setup(settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from articles.importing.batch import articles_import_batch
    from articles.importing.readers import RawItem

    settings.MEDIA_ROOT = tmp_path / "uploads"
    empty_index()
    seed_districts()
    call_command("setup_editors", verbosity=0)
    user = get_user_model().objects.create_user("lin", password="lin-pass-2021", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    report = articles_import_batch(items=[RawItem(name="story.txt", raw=STORY.encode())])
    return report.items[0].article_id


@pytest.mark.django_db(transaction=True)
def test_editor_corrects_imports_and_reverts(live_server, editor_setup, page, tmp_path):
    from articles.models import Article

    article_id = editor_setup
    admin = f"{live_server.url}/admin"
    page.goto(f"{admin}/login/")
    page.fill("#id_username", "lin")
    page.fill("#id_password", "lin-pass-2021")
    with page.expect_navigation():
        page.click("input[type=submit]")

    search_url = f"{live_server.url}/search/?q={quote('禾山街道')}"
    page.goto(search_url)
    assert page.locator("#facet-district + ul .facet__label").all_inner_texts() == ["湖里区"]

    # Correct the district.
    page.goto(f"{admin}/articles/article/{article_id}/change/")
    assert "湖里区禾山街道开展垃圾分类志愿服务" in page.locator(".raw-text").inner_text()
    page.select_option("#id_district", label="思明区")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "成功修改了 稿件" in page.locator(".messagelist .success").inner_text()
    assert Article.objects.get(pk=article_id).district.name == "思明区"

    # The search facets follow the correction at once.
    page.goto(search_url)
    assert page.locator("#facet-district + ul .facet__label").all_inner_texts() == ["思明区"]

    # Upload a page, preview it (stores nothing), confirm, find it in the list.
    page.goto(f"{admin}/articles/article/")
    page.click("text=导入稿件")
    upload = tmp_path / "xinyang.txt"
    upload.write_bytes(UPLOAD.encode("gb18030"))
    page.set_input_files("input[name=files]", str(upload))
    with page.expect_navigation():
        page.click("input[value=上传并预览]")
    page.wait_for_selector("#preview-table")  # the page polls, then reloads when done
    row = page.locator("#preview-table tbody tr").first
    assert row.locator("td.title").inner_text() == "海沧新阳街道举行企业用工对接会"
    assert row.locator("td[data-label=行政区]").inner_text() == "海沧区"
    assert Article.objects.count() == 1
    page.click("input[value=确认导入]")
    page.wait_for_selector("#job-report")
    assert "1 篇已导入" in page.locator(".report-counts").inner_text()
    page.goto(f"{admin}/articles/article/")
    page.fill("#searchbar", "新阳街道")
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    assert page.locator("#result_list tbody th a").all_inner_texts() == [
        "海沧新阳街道举行企业用工对接会"
    ]

    # Revert the district change from the history.
    page.goto(f"{admin}/articles/article/{article_id}/history/")
    page.locator("#change-history tbody tr").last.locator("a").first.click()
    page.wait_for_selector("#id_district")
    assert page.locator("#id_district option:checked").inner_text() == "湖里区"
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    assert Article.objects.get(pk=article_id).district.name == "湖里区"


@pytest.mark.django_db(transaction=True)
def test_editor_start_page_leads_to_everyday_jobs(live_server, editor_setup, page):
    admin = f"{live_server.url}/admin"
    page.goto(f"{admin}/login/")
    assert page.locator("h1").inner_text() == "编辑登录"
    assert page.get_by_role("link", name="← 返回厦门新闻检索首页").get_attribute("href") == "/"
    page.fill("#id_username", "lin")
    page.fill("#id_password", "lin-pass-2021")
    with page.expect_navigation():
        page.click("input[type=submit]")
    actions = page.locator(".quick-actions a")
    assert actions.all_inner_texts() == [
        "导入稿件",
        "待审核的稿件",
        "已隐藏的稿件",
        "已删除稿件",
        "查看读者网站",
    ]
    with page.expect_navigation():
        actions.get_by_text("待审核的稿件").click()
    assert page.url == f"{admin}/articles/article/?needs_review__exact=1"
    assert page.locator("#changelist-filter .selected a", has_text="是").count() == 1
    page.go_back()
    with page.expect_navigation():
        actions.get_by_text("导入稿件").click()
    assert page.url == f"{admin}/articles/article/import/"
