"""Haystack engine for Chinese on Elasticsearch 7: the analysis stays in Python.

Elasticsearch never segments Chinese here. Documents are sent pre-segmented by
search/analysis.py, so a cluster finds exactly what the Whoosh index finds, with no plugin
(no IK, no smartcn) and no second dictionary to keep in step:

- each position of the analyzer's output becomes one whitespace-separated token;
- sub-words stacked at a position are joined with "|" ("湖里区|湖里") and split again by a
  pattern_capture filter, which emits them at the SAME position (phrases still line up);
- a position without a word (punctuation) is sent as "_" and dropped by a stop filter, which
  keeps the position gap (no phrase across a sentence break).

Queries are segmented the same way before they reach Elasticsearch: the SearchQuery below
segments every value given for a full-text field (precise cut, like the Whoosh query side),
and query.reader_query() turns the reader's query language (search/querysyntax.py) into the same
bool query that the Whoosh engine's queries.match_query()/scored_query() build.

Needs the optional extra requirements-es.txt (elasticsearch 7.x client). Selected by
SEARCH_URL (portal/settings/base.py). See docs/scale-out.md.
"""

from __future__ import annotations

import re
from typing import Any

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from search.analysis import query_terms, segment
from search.engine.elasticsearch.query import SEARCH_ANALYZER
from search.querysyntax import highlight_terms, parse

STACK = "|"  # joins the tokens stacked at one position
GAP = "_"  # a position with no word; never a token itself (tokens have a letter or digit)
INDEX_ANALYZER = "zh_presegmented"

ANALYSIS = {
    "analyzer": {
        INDEX_ANALYZER: {
            "type": "custom",
            "tokenizer": "whitespace",
            "filter": ["zh_unstack", "zh_gap"],
        },
        SEARCH_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": ["zh_gap"]},
    },
    "filter": {
        # Every capture is emitted at the position of the token it came from.
        "zh_unstack": {
            "type": "pattern_capture",
            "preserve_original": False,
            "patterns": [rf"([^{STACK}]+)"],
        },
        # Removing a token keeps its position increment: the gap survives.
        "zh_gap": {"type": "stop", "stopwords": [GAP]},
    },
}


def presegment(text: str) -> str:
    """Index-time text for Elasticsearch: one token per analyzer position.

    "湖里区的文明城市。厦门" → "湖里区|湖里 的 文明城市|文明|城市 _ 厦门"
    """
    stacks: dict[int, list[str]] = {}
    for piece in segment(text, stacked=True):
        stacks.setdefault(piece.pos, []).append(piece.text.replace(STACK, ""))
    out: list[str] = []
    last = -1
    for pos in sorted(stacks):
        out.extend([GAP] * (pos - last - 1))
        out.append(STACK.join(stacks[pos]))
        last = pos
    return " ".join(out)


def presegment_query(text: str) -> str:
    """Query-time text: the precise cut, space-joined (no stacking, punctuation dropped).

    "湖里區 文明城市！" → "湖里区 文明城市"
    """
    return " ".join(query_terms(text))


def is_fulltext(field: Any) -> bool:
    """The fields the Chinese analyzer handles: the document field and "text" fields."""
    return bool(field.document) or field.field_type == "text"


# --- Haystack hooks ----------------------------------------------------------------------------


class ChineseElasticsearchSearchBackend(Elasticsearch7SearchBackend):
    # Hook: DEFAULT_SETTINGS (the index settings sent when the index is created). Stock:
    # n-gram analyzers on the standard tokenizer. Ours: only the two whitespace analyzers
    # that read our pre-segmented text.
    DEFAULT_SETTINGS = {"settings": {"analysis": ANALYSIS}}

    # Hook: build_schema(). Stock maps every CharField to text with the English snowball
    # analyzer (facets and filters on district/source would then match words, not values).
    # Ours mirrors the Whoosh schema: full-text fields read the pre-segmented tokens; other
    # strings and multi-valued fields are exact keywords; integers are longs (the sort key).
    # No mapping "boost" (deprecated in 7.x): the title weighs more through reader_query().
    def build_schema(self, fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        mapping: dict[str, Any] = {
            ID: {"type": "keyword"},
            DJANGO_CT: {"type": "keyword"},
            DJANGO_ID: {"type": "keyword"},
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if is_fulltext(field):
                mapping[name] = {
                    "type": "text",
                    "analyzer": INDEX_ANALYZER,
                    "search_analyzer": SEARCH_ANALYZER,
                }
            elif field.field_type in ("date", "datetime"):
                mapping[name] = {"type": "date"}
            elif field.field_type == "integer":
                mapping[name] = {"type": "long"}
            else:
                mapping[name] = {"type": "keyword"}
            if field.document:
                content_field_name = name
        return content_field_name, mapping

    # Hook: _prepare_object() (called by update() for each object). Stock sends the text as
    # is; ours sends every full-text field pre-segmented by our analyzer.
    def _prepare_object(self, index: Any, obj: Any) -> dict[str, Any]:
        prepared: dict[str, Any] = index.full_prepare(obj)
        for field in index.fields.values():
            name = field.index_fieldname
            if is_fulltext(field) and isinstance(prepared.get(name), str):
                prepared[name] = presegment(prepared[name])
        return prepared

    # Hook: search(). Stock highlighting would mark the pre-segmented _source ("湖里区|湖里 的
    # …"); ours asks Elasticsearch for none and marks the article's own text, as the Whoosh
    # backend does.
    def search(self, query_string: str, **kwargs: Any) -> dict[str, Any]:
        highlight = kwargs.pop("highlight", False)
        results = super().search(query_string, **kwargs)
        if highlight and query_string.strip() not in ("", "*:*"):
            _highlight(results.get("results", []), query_string, self.connection_alias)
        return results

    def search_engine(self) -> Any:
        """This index as the Engine protocol (search.engine.get_engine())."""
        from search.engine.elasticsearch.engine import ElasticsearchEngine

        return ElasticsearchEngine(self)


# Field prefixes, operators and escapes of the query string Haystack built: not reader words
# (NOT x becomes -x: excluded words are not marked).
_LUCENE_SYNTAX = re.compile(r"\b\w+:|\b(?:AND|OR|TO)\b|[()]")
_LUCENE_NOT = re.compile(r"\bNOT\s+\(?")


def reader_words(query_string: str) -> str:
    """The words of a query string Haystack built, in the reader's query language.

    '(湖里 "志愿 服务" NOT 拆迁)' → ' 湖里 "志愿 服务" -拆迁 '
    """
    unescaped = query_string.replace("\\", "")
    return _LUCENE_SYNTAX.sub(" ", _LUCENE_NOT.sub("-", unescaped))


def _highlight(results: list[Any], query_string: str, alias: str) -> None:
    from haystack import connections

    from search.highlight import snippet_html

    unified = connections[alias].get_unified_index()
    terms = highlight_terms(parse(reader_words(query_string)))
    for result in results:
        obj = result.object
        if obj is not None:
            body = unified.get_index(type(obj)).prepare_text(obj)
            result.highlighted = {unified.document_field: [snippet_html(body, terms)]}


class ChineseElasticsearchSearchQuery(Elasticsearch7SearchQuery):
    """Values for full-text fields are segmented before Haystack escapes and joins them, so
    filter(content="湖里区的文明城市") asks for 湖里区 AND 的 AND 文明城市, and
    Exact("志愿服务") becomes the phrase "志愿 服务". Values for other fields (district,
    source) are left whole."""

    _segmenting = False  # building a fragment for a full-text field
    _cleaned = False  # clean() has already segmented the value being built

    # Hook: build_query_fragment(). Only here is the field known; clean() and
    # build_exact_query() below segment while a full-text field's fragment is built.
    def build_query_fragment(self, field: str, filter_type: str, value: Any) -> str:
        self._segmenting, self._cleaned = self._is_fulltext(field), False
        try:
            return str(super().build_query_fragment(field, filter_type, value))
        finally:
            self._segmenting = self._cleaned = False

    # Hook: clean() (Haystack's escaping of user input, used by Clean, AutoQuery, Not, Exact).
    def clean(self, query_fragment: Any) -> Any:
        if self._segmenting and isinstance(query_fragment, str):
            query_fragment = presegment_query(query_fragment)
            self._cleaned = True
        return super().clean(query_fragment)

    # Hook: build_exact_query() (the phrase of Exact(); with clean=True already segmented,
    # and escaped, so not cut again).
    def build_exact_query(self, query_string: str) -> str:
        if self._segmenting and not self._cleaned:
            query_string = presegment_query(query_string)
        self._cleaned = False
        return str(super().build_exact_query(query_string))

    def _is_fulltext(self, field: str) -> bool:
        from haystack import connections

        if field == "content":
            return True
        unified = connections[self._using].get_unified_index()
        fields = {f.index_fieldname: f for f in unified.all_searchfields().values()}
        target = fields.get(unified.get_index_fieldname(field))
        return target is not None and is_fulltext(target)


class ChineseElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ChineseElasticsearchSearchBackend
    query = ChineseElasticsearchSearchQuery
