"""A bounded cache of parsed and validated GraphQL documents.

graphene-django parses and validates every request's document, even one it
has seen a thousand times. Only documents that parsed and validated cleanly
are kept, each under its schema and validation rules, so two schemas never
share an entry. The cache is bounded twice: by a number of documents
(DJWTO_DOCUMENT_CACHE_SIZE) and by the memory they hold
(DJWTO_DOCUMENT_CACHE_BYTES), so clients sending large distinct documents
cannot make a process hold on to them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from .errors import Reason, extensions
from .lru import LRU
from .settings import djwto_settings

# A kept document holds its text (the source, which its nodes' locations
# point to), every lexical token (comments too, each with its own copy of
# its text) and the nodes over them: about 600 bytes a token, measured with
# tracemalloc on graphql-core 3.2; counted a little higher.
TOKEN_BYTES = 700
# No document may take more than this share of the byte budget, so one large
# document never pushes out the many small ones that make up the traffic.
LARGEST_SHARE = 8


def document_bytes(query: str, document: DocumentNode) -> int:
    """Estimate the memory that keeping ``document``, parsed from ``query``, holds."""
    size = sys.getsizeof(query)
    token = document.loc.start_token if document.loc else None
    while token is not None:
        size += TOKEN_BYTES + (sys.getsizeof(token.value) if token.value else 0)
        token = token.next
    return size


def _limits() -> tuple[int | None, int, int]:
    """Return the token limit (None: none), the number of documents kept and their byte budget."""
    return (
        djwto_settings.MAX_QUERY_TOKENS or None,
        djwto_settings.DOCUMENT_CACHE_SIZE,
        djwto_settings.DOCUMENT_CACHE_BYTES,
    )


def _with_reason(error: GraphQLError, max_tokens: int | None) -> GraphQLError:
    """Give graphql-core's refusals of a document over a limit their reasons.

    Those are DJWTO_MAX_QUERY_TOKENS and the parser's own nesting limit (in
    graphql-core 3.3; 3.2 recurses until RecursionError). graphql-core words
    them as syntax errors; their text is the only sign (a test fails if it changes).
    """
    if max_tokens is not None and f'more than {max_tokens} tokens' in error.message:
        error.extensions = extensions(400, Reason.TOO_MANY_TOKENS)
    elif 'Document is nested too deeply' in error.message:
        error.extensions = extensions(400, Reason.QUERY_TOO_DEEP)
    return error


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
        max_tokens, size, budget = djwto_settings.derived(('document_limits',), _limits)
        largest = budget // LARGEST_SHARE
        cacheable = size > 0 and sys.getsizeof(query) <= largest
        key = (id(schema), tuple(rules) if rules else None, max_tokens, query)
        if cacheable:
            cached = self._recall(key)
            if cached is not None and cached[0] is schema:
                return cached[1], []
        try:
            document = parse(query, max_tokens=max_tokens)
        except GraphQLError as error:
            return None, [_with_reason(error, max_tokens)]
        except RecursionError:
            return None, [
                GraphQLError(
                    'The document is nested too deeply to parse.',
                    extensions=extensions(400, Reason.QUERY_TOO_DEEP),
                )
            ]
        errors = validate(schema, document, rules, max_errors=max_errors)
        if not errors and cacheable:
            cost = document_bytes(query, document)
            if cost <= largest:
                self._keep(key, (schema, document), size, cost, budget)
        return document, errors


documents = DocumentCache()
