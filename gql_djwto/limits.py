"""Limits on GraphQL documents: nesting depth and aliases, counted through fragments.

Both are validation rules, so a document over a limit is refused before any
field runs, and never enters the document cache.
"""

from __future__ import annotations

import functools
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

from . import errors
from .errors import Reason, extensions


class _Measure:
    """Depth and alias count of selection sets, with each fragment measured once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)
        }
        self._memo: dict[str, tuple[int, int]] = {}
        self._open: set[str] = set()

    def of(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """Return (depth below this selection set, aliases in it, fragments expanded)."""
        if selection_set is None:
            return 0, 0
        depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                below, inner = self.of(selection.selection_set)
                depth = max(depth, 1 + below)
                aliases += inner + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                below, inner = self.of(selection.selection_set)
                depth, aliases = max(depth, below), aliases + inner
            elif isinstance(selection, FragmentSpreadNode):
                below, inner = self._fragment(selection.name.value)
                depth, aliases = max(depth, below), aliases + inner
        return depth, aliases

    def _fragment(self, name: str) -> tuple[int, int]:
        if name in self._memo:
            return self._memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._open:
            return 0, 0  # unknown or cyclic: other rules report those
        self._open.add(name)
        self._memo[name] = self.of(fragment.selection_set)
        self._open.discard(name)
        return self._memo[name]


@functools.lru_cache(maxsize=16)
def limit_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """Return a validation rule refusing operations over these limits (0: no limit)."""

    class DocumentLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *args: Any) -> None:
            measure = _Measure(node)
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    self._check(definition, *measure.of(definition.selection_set))

        def _check(self, operation: OperationDefinitionNode, depth: int, aliases: int) -> None:
            if max_depth and depth > max_depth:
                self.report_error(
                    GraphQLError(
                        errors.QUERY_TOO_DEEP.format(depth=depth, limit=max_depth),
                        operation,
                        extensions=extensions(400, Reason.QUERY_TOO_DEEP),
                    )
                )
            if max_aliases and aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        errors.TOO_MANY_ALIASES.format(aliases=aliases, limit=max_aliases),
                        operation,
                        extensions=extensions(400, Reason.TOO_MANY_ALIASES),
                    )
                )

    return DocumentLimits
