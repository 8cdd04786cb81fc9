"""A bounded cache of parsed and validated GraphQL documents.

graphene-django parses and validates every request's document, even one it
has seen a thousand times. Only documents that parsed and validated cleanly
are kept, each under its schema and validation rules, so two schemas never
share an entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from .settings import djwto_settings


class DocumentCache:
    """An LRU map of (schema, rules, query) to parsed, validated documents."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[GraphQLSchema, DocumentNode]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(
        self,
        schema: GraphQLSchema,
        query: str,
        rules: Sequence[Any] | None = None,
        max_errors: int | None = None,
    ) -> tuple[DocumentNode | None, list[GraphQLError]]:
        """Return the document of ``query`` and its errors, parsing only on a miss."""
        max_tokens = djwto_settings.value_or_default('MAX_QUERY_TOKENS') or None
        key = (id(schema), tuple(rules) if rules else None, max_tokens, query)
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] is schema:
                self._entries.move_to_end(key)
                return cached[1], []
        try:
            document = parse(query, max_tokens=max_tokens)
        except GraphQLError as error:
            return None, [error]
        except RecursionError:
            return None, [GraphQLError('The document is nested too deeply to parse.')]
        errors = validate(schema, document, rules, max_errors=max_errors)
        if not errors:
            self._store(key, schema, document)
        return document, errors

    def _store(self, key: tuple[Any, ...], schema: GraphQLSchema, document: DocumentNode) -> None:
        size = djwto_settings.value_or_default('DOCUMENT_CACHE_SIZE')
        if not size:
            return
        with self._lock:
            self._entries[key] = (schema, document)
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)


documents = DocumentCache()
