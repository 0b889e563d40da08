"""The paging links every list shows (templates/includes/pagination.html), built in one place
for the article lists (articles/views.py) and the search page (search/views.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PAGE_WINDOW = 2  # page numbers shown either side of the current page


def page_numbers(current: int, last: int) -> list[int | None]:
    """Page numbers with None for a gap: (6, 12) → [1, None, 4, 5, 6, 7, 8, None, 12]."""
    shown = {1, last, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= last):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination(*, current: int, last: int, url: Callable[[int], str]) -> dict[str, Any] | None:
    """The shape templates/includes/pagination.html expects; None for a single page shown as
    page 1. A page past the last (a search whose results shrank) links back to the last one.

    (current=2, last=3) → {"current": 2, "last": 3, "prev_url": url(1), "next_url": url(3),
    "pages": [{"number": 1, "url": url(1), "current": False}, …]}.
    """
    if last <= 1 and current == 1:
        return None
    return {
        "current": current,
        "last": last,
        "prev_url": url(current - 1) if 1 < current <= last + 1 else "",
        "next_url": url(current + 1) if current < last else "",
        "pages": [
            {"number": n, "url": url(n) if n else "", "current": n == current}
            for n in page_numbers(current, last)
        ],
    }
