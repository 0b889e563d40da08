"""The old HAYSTACK_CONNECTIONS ENGINE path of the Elasticsearch engine, for settings that
still name it. The engine lives in search.engine.elasticsearch.backend."""

from search.engine.elasticsearch.backend import ChineseElasticsearchEngine

__all__ = ["ChineseElasticsearchEngine"]
