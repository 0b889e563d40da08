"""The admin's JavaScript strings in Chinese: the time zone note under a time field."""

from __future__ import annotations

import pytest

from tests.e2e.test_editor_browser import editor_setup  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_time_zone_note_is_in_chinese(live_server, editor_setup, browser):  # noqa: F811
    # UTC+0 in December: eight hours behind the server's Asia/Shanghai.
    context = browser.new_context(locale="zh-CN", timezone_id="Europe/London")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.clock.set_fixed_time("2026-12-01T12:00:00Z")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "lin")
    page.fill("#id_password", "lin-pass-2021")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{editor_setup}/change/")
    note = page.locator("#id_published_time_timezone_warning_helptext")
    assert note.text_content() == (
        "注意：请按 Asia/Shanghai 时区输入时间（你所在的时区比它慢 8 小时）。"
    )
