"""Pure functions from a raw scraped page to a CleanArticle. No Django imports here.

Entry point: clean_page(raw, filename=..., default_year=..., hints=...).
"""

from .pipeline import clean_page
from .types import Author, CleanArticle, PublishedDate, text_fingerprint

__all__ = ["Author", "CleanArticle", "PublishedDate", "clean_page", "text_fingerprint"]
