"""Issue 20, point 5: the article form's edit-conflict check cannot be skipped.

A save whose form lacks expected_updated_at, or has it empty or unreadable, used to skip the
check and overwrite whatever another editor had saved. Now it is refused with the conflict
message and nothing is written; the form (change and revert) always carries the stamp.
"""

# ruff: noqa: F811  (the editor's fixtures are imported from the admin tests and used by name)
from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from tests.integration.test_admin import (  # noqa: F401
    change_url,
    client,
    editor,
    form_data,
    story,
)

pytestmark = pytest.mark.django_db

TITLE = "湖里区禾山街道开展垃圾分类志愿服务"
MINE = "湖里禾山街道垃圾分类（编辑甲）"


def conflict_text(article: Article) -> str:
    """The message a refused save shows when the form does not say when it was opened: the
    latest save is named (the import here: no user, so 其他编辑)."""
    latest = Article.history.filter(id=article.pk).latest("history_date")
    when = latest.history_date.astimezone().strftime("%H:%M:%S")
    return (
        f"保存冲突：这篇稿件在您打开之后已被 其他编辑 于 {when} 修改。"
        "您的修改没有保存，但仍在下面的表单里，没有丢失。"
        "请在新窗口查看对方的版本（或“历史”），核对后再次点击“保存”即以您的版本为准。"
    )


def assert_refused(client, story, data: dict) -> str:
    before = (Article.history.filter(id=story.pk).count(), story.updated_at)
    response = client.post(change_url(story), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert conflict_text(story) in html
    assert f'value="{MINE}"' in html  # the editor's input is kept
    story.refresh_from_db()
    assert story.title == TITLE
    assert (Article.history.filter(id=story.pk).count(), story.updated_at) == before
    return html


def test_a_save_without_the_stamp_is_refused(client, story):
    data = form_data(client, story, title=MINE)
    del data["expected_updated_at"]
    assert_refused(client, story, data)


def test_a_save_with_an_empty_stamp_is_refused(client, story):
    assert_refused(client, story, form_data(client, story, title=MINE, expected_updated_at=""))


@pytest.mark.parametrize(
    "stamp",
    ["不是时间", "2021-13-45T99:00:00", "2021-11-13T09:11:07", "1" * 5000, "\x00"],
    ids=["words", "impossible-date", "no-time-zone", "long", "nul"],
)
def test_a_save_with_an_unreadable_stamp_is_refused(client, story, stamp):
    data = form_data(client, story, title=MINE, expected_updated_at=stamp)
    html = assert_refused(client, story, data)
    assert "invalid format" not in html and "格式" not in html


def test_after_the_refusal_saving_again_is_a_deliberate_overwrite(client, story):
    data = form_data(client, story, title=MINE)
    del data["expected_updated_at"]
    html = assert_refused(client, story, data)
    stamp = story.updated_at.isoformat()
    assert f'name="expected_updated_at" value="{stamp}"' in html
    response = client.post(change_url(story), {**data, "expected_updated_at": stamp})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == MINE


def test_a_save_with_the_current_stamp_goes_through(client, story):
    data = form_data(client, story, title=MINE)
    assert data["expected_updated_at"] == story.updated_at.isoformat()
    response = client.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == MINE


def test_the_revert_form_carries_the_current_stamp(client, story):
    original = story.history.earliest()
    client.post(change_url(story), form_data(client, story, title=MINE))
    story.refresh_from_db()
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[story.pk, original.history_id]
    )
    html = client.get(revert_url).content.decode()
    assert f'name="expected_updated_at" value="{story.updated_at.isoformat()}"' in html
    response = client.post(revert_url, form_data(client, story, url=revert_url))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == TITLE
