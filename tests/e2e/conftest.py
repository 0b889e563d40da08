"""Fixtures for the real-browser flows; the browser itself is tests/conftest.py's."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def page(browser) -> Any:
    """A page in a fresh desktop-sized Chinese context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    return context.new_page()
