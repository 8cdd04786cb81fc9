"""A bounded cache of parsed and validated GraphQL documents.

graphene-django parses and validates every request's document, even one it
has seen a thousand times. Only documents that parsed and validated cleanly
are kept, each under its schema and validation rules, so two schemas never
share an entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from .lru import LRU
from .settings import djwto_settings


class DocumentCache(LRU[tuple[GraphQLSchema, DocumentNode]]):
    """An LRU map of (schema, rules, query) to parsed, validated documents."""

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
        cached = self._recall(key)
        if cached is not None and cached[0] is schema:
            return cached[1], []
        try:
            document = parse(query, max_tokens=max_tokens)
        except GraphQLError as error:
            return None, [error]
        except RecursionError:
            return None, [GraphQLError('The document is nested too deeply to parse.')]
        errors = validate(schema, document, rules, max_errors=max_errors)
        size = djwto_settings.value_or_default('DOCUMENT_CACHE_SIZE')
        if not errors and size:
            self._keep(key, (schema, document), size)
        return document, errors


documents = DocumentCache()
