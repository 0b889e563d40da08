"""Raw page → CleanArticle. OWNER: cleaning-text helper."""

from __future__ import annotations

from collections.abc import Mapping

from .encoding import decode_bytes
from .types import CleanArticle


def clean_page(
    raw: bytes | str,
    *,
    filename: str = "",
    default_year: int | None = None,
    hints: Mapping[str, object] | None = None,
) -> CleanArticle:
    """Clean one scraped page.

    raw: the page as bytes (any encoding) or text. hints: fields a structured import already
    knows (title, published, source, site, url, body …); they win over what the page says.
    """
    text = raw if isinstance(raw, str) else decode_bytes(raw).text
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    title = lines[0] if lines else filename
    return CleanArticle(title=title, paragraphs=lines[1:])
