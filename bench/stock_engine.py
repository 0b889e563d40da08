"""Stock Haystack + Whoosh set up the way most tutorials do: the stock backend with every
TEXT field analyzed by jieba's ChineseAnalyzer instead of StemmingAnalyzer. Used by
bench/search_compare.py as the baseline; nothing else changed."""

from __future__ import annotations

from typing import Any

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from jieba.analyse import ChineseAnalyzer
from whoosh.fields import NUMERIC, TEXT


class StockJiebaBackend(WhooshSearchBackend):
    def build_schema(self, fields: dict[str, Any]) -> Any:
        content_field_name, schema = super().build_schema(fields)
        for name, field in list(schema.items()):
            if isinstance(field, TEXT):
                schema.remove(name)
                schema.add(name, TEXT(stored=True, analyzer=ChineseAnalyzer(), sortable=True))
            elif type(field) is NUMERIC:  # our 64-bit sort key; stock assumes 32 bits
                schema.remove(name)
                schema.add(name, NUMERIC(numtype=int, bits=64, stored=True))
        return content_field_name, schema


class StockJiebaEngine(WhooshEngine):
    backend = StockJiebaBackend
