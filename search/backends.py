"""Haystack engine for Chinese on Whoosh: stock WhooshSearchBackend with the hooks that must
change overridden, each said why. The search core lives in search/engine/whoosh/."""

from __future__ import annotations

from typing import Any

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID

from search.analysis import ChineseAnalyzer
from search.engine.whoosh import engine as whoosh_engine
from search.engine.whoosh import index as whoosh_index


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    # Hook: setup(). Stock setup opens its own Index per backend instance (one per thread) and
    # searches open new searchers each time; ours shares one IndexState per path per process.
    def setup(self) -> None:
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        self.state = whoosh_index.get_state(self.path, self.schema)
        self.index = self.state.index
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
                docs.append(whoosh_engine.whoosh_document(index.full_prepare(obj)))
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
        whoosh_index.clear(self.state)

    # Hook: search(). Stock returns nothing for an empty query or for "*" on our schema and
    # highlights with the English StemmingAnalyzer. The site searches through
    # search.query.search_articles() (the Engine protocol), never through Haystack.
    def search(self, query_string: str, **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError("search through search.query.search_articles()")

    def search_engine(self) -> whoosh_engine.WhooshEngine:
        """This index as the Engine protocol (search.engine.get_engine())."""
        if not self.setup_complete:
            self.setup()
        return whoosh_engine.WhooshEngine(self.state)


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
