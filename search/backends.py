"""Haystack engine for Chinese on Whoosh: stock WhooshSearchBackend with the hooks that must
change overridden, each said why. The search core lives in search/engine/whoosh/index.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.qparser import QueryParser

from search.analysis import ChineseAnalyzer
from search.engine.whoosh import index as whoosh_index
from search.engine.whoosh.codec import CompactCodec
from search.highlight import snippet_html
from search.querysyntax import highlight_terms, parse

MATCH_ALL = {"", "*", "*:*"}


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    # Hook: setup(). Stock setup opens its own Index per backend instance (one per thread) and
    # searches open new searchers each time; ours shares one IndexState per path per process.
    def setup(self) -> None:
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        self.state = whoosh_index.get_state(self.path, self.schema)
        self.index = self.state.index
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.setup_complete = True

    # Hook: build_schema(). Stock maps every CharField to TEXT with the English
    # StemmingAnalyzer, stored and sortable. Ours: full-text fields ("text" type) use the
    # Chinese analyzer with phrase positions and are not stored (the database has the body);
    # other strings are exact ID fields (facets and filters match whole values); integers are
    # 64-bit columns, not indexed (the sort key and the digest); nothing but the ids is stored.
    def build_schema(self, fields: dict[str, Any]) -> tuple[str, Schema]:
        schema: dict[str, Any] = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.document or field.field_type == "text":
                schema[name] = TEXT(
                    analyzer=ChineseAnalyzer(), phrase=True, field_boost=field.boost
                )
            elif field.is_multivalued:
                schema[name] = KEYWORD(commas=True, scorable=True, lowercase=False)
            elif field.field_type in ("date", "datetime"):
                schema[name] = DATETIME()
            elif field.field_type == "integer":
                schema[name] = _column_only(
                    NUMERIC(numtype=int, bits=64, sortable=True, signed=True)
                )
            else:
                schema[name] = WHOOSH_ID()
            if field.document:
                content_field_name = name
        return content_field_name, Schema(**schema)

    # Hook: update(). Stock opens an AsyncWriter per call and hides failures behind
    # SILENTLY_FAIL; ours prepares documents and goes through the one locked writer path.
    def update(self, index: Any, iterable: Any, commit: bool = True) -> None:
        if not self.setup_complete:
            self.setup()
        docs, delete_ids = [], []
        for obj in iterable:
            delete_ids.append(get_identifier(obj))
            try:
                docs.append(whoosh_document(index.full_prepare(obj)))
            except SkipDocument:
                continue
        whoosh_index.write(self.state, delete_ids=delete_ids, docs=docs)

    # Hook: remove(). Stock swallows LockError under SILENTLY_FAIL, leaving a deleted article
    # searchable; ours waits for the lock and raises if it cannot write.
    def remove(self, obj_or_string: Any, commit: bool = True) -> None:
        if not self.setup_complete:
            self.setup()
        whoosh_index.write(self.state, delete_ids=[get_identifier(obj_or_string)], docs=[])

    # Hook: clear(). Stock deletes the directory under other processes' open readers.
    def clear(self, models: Any = None, commit: bool = True) -> None:
        if not self.setup_complete:
            self.setup()
        with whoosh_index._WRITE_LOCK:
            writer = self.state.index.writer(
                timeout=whoosh_index.WRITE_TIMEOUT, codec=CompactCodec()
            )
            writer.delete_by_query(self.parser.parse("*"))
            writer.commit()

    # Hook: search(). Stock returns nothing for an empty query or for "*" on our schema, opens
    # two searchers per query, facets only the page's stored fields sorted by count, and
    # highlights with StemmingAnalyzer. Ours: match-all browsing, the shared searcher, facet
    # counts over the whole match set, highlights with our analyzer.
    def search(
        self,
        query_string: str,
        sort_by: Any = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        facets: Any = None,
        highlight: bool = False,
        narrow_queries: Any = None,
        result_class: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        if not self.setup_complete:
            self.setup()
        text = force_str(query_string).strip()
        raw = whoosh_index.run(
            self.state,
            match=None if text in MATCH_ALL else self.parser.parse(text),
            scored=None if text in MATCH_ALL else self.parser.parse(text),
            filters=[self.parser.parse(force_str(q)) for q in narrow_queries or ()],
            sort=_sort_name(sort_by),
            offset=start_offset or 0,
            limit=(end_offset if end_offset is not None else 1_000_000) - (start_offset or 0),
            facets=tuple(f for f in facets or () if f in whoosh_index.FACET_FIELDS),
        )
        results = self._results(raw.django_ids, result_class or SearchResult)
        if highlight and text not in MATCH_ALL:
            self._highlight(results, text)
        fields = {
            name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
            for name, c in raw.facets.items()
        }
        return {
            "results": results,
            "hits": raw.total,
            "facets": {"fields": fields, "dates": {}, "queries": {}},
            "spelling_suggestion": None,
        }

    def _results(self, ids: list[int], result_class: Any) -> list[Any]:
        return [result_class("articles", "article", str(pk), 1.0) for pk in ids]

    def _highlight(self, results: list[Any], text: str) -> None:
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        terms = highlight_terms(parse(text))
        for result in results:
            obj = result.object
            if obj is None:
                continue
            body = unified.get_index(type(obj)).prepare_text(obj)
            html = snippet_html(body, terms)
            result.highlighted = {self.content_field_name: [html]}


def _sort_name(sort_by: Any) -> str:
    if not sort_by:
        return "relevance"
    first = str(sort_by[0])
    return "newest" if first.startswith("-") else "oldest"


def whoosh_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A prepared Haystack document as Whoosh wants it: lists comma-joined, dates as
    datetimes, empty values left out.

    {"year": "2021", "authors": ["罗子泓"], "district": None} → {"year": "2021", "authors": "罗子泓"}
    """
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if value is None or value == "" or value == []:
            continue
        if key == "boost":
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(force_str(v).replace(",", " ") for v in value)
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        elif not isinstance(value, (int, float, dt.datetime)):
            value = force_str(value)
        out[key] = value
    return out


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend


def _column_only(field: Any) -> Any:
    """A field written to its column only. Whoosh indexes a 64-bit NUMERIC as 16 trie terms
    per document, nearly all of them held by one document; for the sort key and the digest,
    read only as columns, those terms were two thirds of the lexicon (560,000 terms and 78 MB
    per 25,000 articles). The column keeps its type, so segments written before still read
    the same (their terms go unused)."""
    field.indexed = False
    return field
