"""Interface of the metadata extractors. OWNER: cleaning-metadata helper.

Each function is pure and total: it never raises on odd input, it returns None/() instead.
The pipeline calls them with lines already split out by the noise stage. The implementations
live in dates.py, credits.py, keywords.py and districts.py (data in outlets.py, gazetteer.py).
"""

from __future__ import annotations

from .credits import parse_authors, parse_site, parse_source
from .dates import parse_published
from .districts import detect_district
from .keywords import parse_keywords

__all__ = [
    "detect_district",
    "parse_authors",
    "parse_keywords",
    "parse_published",
    "parse_site",
    "parse_source",
]
