"""Which of Xiamen's six districts an article is mainly about."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .gazetteer import FALSE_FRIENDS, GAZETTEER

TITLE_WEIGHT = 5
BREADCRUMB_WEIGHT = 3
BODY_WEIGHT = 1
# One passing mention in the body ("毕业于厦门大学") does not make a story a district's: the
# winner needs a title or breadcrumb mention, or two mentions in the body.
MIN_SCORE = 2
_MAX_BODY = 200_000  # a longer body adds nothing but time

_PLACE_TO_DISTRICT: dict[str, str] = {
    place: district for district, places in GAZETTEER.items() for place in places
}
# False friends first, then places longest first, so 湖里区 is one match (not 湖里 + 区) and
# 集美大学 beats 集美; a false friend consumes its text and counts for nothing.
_PLACES = re.compile(
    "(?P<false>"
    + "|".join(FALSE_FRIENDS)
    + ")|(?P<place>"
    + "|".join(re.escape(p) for p in sorted(_PLACE_TO_DISTRICT, key=len, reverse=True))
    + ")"
)


def _mentions(text: str) -> Counter[str]:
    """District → number of gazetteer mentions in text: "鼓浪屿和湖里区" → {思明区: 1, 湖里区: 1}."""
    if not isinstance(text, str):
        return Counter()
    places = (m["place"] for m in _PLACES.finditer(text[:_MAX_BODY]))
    return Counter(_PLACE_TO_DISTRICT[p] for p in places if p)


def detect_district(*, title: str, breadcrumb: Sequence[str], body: str) -> str | None:
    """The district with the most weighted evidence (title ×5, breadcrumb ×3, body ×1).

    title="海沧新阳街道举办…", breadcrumb=["厦门", "各区报道"], body="…" → "海沧区".
    A tie is broken by title mentions; still tied, a score under MIN_SCORE (one body mention)
    or no evidence at all → None.
    """
    if isinstance(breadcrumb, str):
        breadcrumb = [breadcrumb]
    in_title = _mentions(title)
    scores: Counter[str] = Counter()
    for district, n in in_title.items():
        scores[district] += TITLE_WEIGHT * n
    for crumb in breadcrumb or ():
        for district, n in _mentions(crumb).items():
            scores[district] += BREADCRUMB_WEIGHT * n
    for district, n in _mentions(body).items():
        scores[district] += BODY_WEIGHT * n
    ranked = sorted(scores, key=lambda d: (scores[d], in_title[d]), reverse=True)
    if not ranked or scores[ranked[0]] < MIN_SCORE:
        return None
    if len(ranked) > 1:
        first, second = ranked[0], ranked[1]
        if (scores[first], in_title[first]) == (scores[second], in_title[second]):
            return None
    return ranked[0]
