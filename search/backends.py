"""Haystack engine for Chinese on Whoosh. OWNER: search helper (placeholder until then)."""

from haystack.backends.whoosh_backend import WhooshEngine


class ChineseWhooshEngine(WhooshEngine):
    pass
