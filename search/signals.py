"""Keeps the index in step with article saves and deletes. OWNER: search helper."""

from haystack.signals import BaseSignalProcessor


class ArticleSignalProcessor(BaseSignalProcessor):
    pass
