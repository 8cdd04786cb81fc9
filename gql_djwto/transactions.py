"""Database transactions around an operation: graphene-django's for the project, none for ours.

graphene-django's view runs inside the blocks of ``ATOMIC_REQUESTS`` and
rolls the default database back when the result has errors; under
``ATOMIC_MUTATIONS`` it runs a mutation in a block of its own, rolled back
when a form mutation reports errors. ``DjwtoGraphQLView`` opts out of
``ATOMIC_REQUESTS`` and applies those same rules itself, per operation: an
operation of gql_djwto's fields alone runs in no block (revoke commits at
once, a failed login stays counted), and an operation mixing revoke or
tokenAuth with the project's fields is refused where a block would hold
them both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import cast

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.utils.utils import set_rollback
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from . import errors
from .mutations import TokenAuth, service_fields
from .settings import djwto_settings


@dataclass(frozen=True)
class RootFields:
    """The names of an operation's root fields, by whose they are."""

    ours: frozenset[str] = frozenset()  # gql_djwto's mutations
    writing: frozenset[str] = frozenset()  # those of ours whose writes no rollback may undo
    project: frozenset[str] = frozenset()  # everything else the schema serves
    logins: frozenset[str] = frozenset()  # those of ours that log in

    @property
    def only_ours(self) -> bool:
        return bool(self.ours) and not self.project

    @property
    def login_only(self) -> bool:
        """Whether the operation does nothing but log in (which needs no CSRF token in cookie modes)."""
        return bool(self.logins) and self.logins == self.ours and not self.project


def _field_names(document: DocumentNode, selection_set: SelectionSetNode) -> frozenset[str]:
    """Return every root field name, through fragments, whatever their directives say."""
    names: set[str] = set()
    fragments: dict[str, FragmentDefinitionNode] | None = None  # read at the first spread
    pending, spread = [selection_set], set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                if fragments is None:
                    fragments = {
                        definition.name.value: definition
                        for definition in document.definitions
                        if isinstance(definition, FragmentDefinitionNode)
                    }
                name = selection.name.value
                if name in fragments and name not in spread:
                    spread.add(name)
                    pending.append(fragments[name].selection_set)
    return frozenset(names)


@functools.lru_cache(maxsize=256)
def _sorted(
    schema: GraphQLSchema, operation_type: OperationType, names: frozenset[str], rotating: bool
) -> RootFields:
    ours = service_fields(schema, operation_type)
    names = frozenset(
        name for name in names if not name.startswith('__')
    )  # introspection touches no database
    return RootFields(
        ours=frozenset(names & ours.keys()),
        writing=frozenset(
            name
            for name in names & ours.keys()
            if ours[name].writes_database or (rotating and ours[name].rotates)
        ),
        project=frozenset(names - ours.keys()),
        logins=frozenset(name for name in names & ours.keys() if issubclass(ours[name], TokenAuth)),
    )


def root_fields(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | None
) -> RootFields:
    """Sort the operation's root fields into gql_djwto's and the project's."""
    if operation is None:
        return RootFields()
    return _sorted(
        schema,
        operation.operation,
        _field_names(document, operation.selection_set),
        djwto_settings.ROTATE_REFRESH_TOKENS,
    )


def atomic_request_aliases() -> list[str]:
    """Return the databases whose ``ATOMIC_REQUESTS`` Django would wrap a view in."""
    return [alias for alias, options in connections.settings.items() if options.get('ATOMIC_REQUESTS')]


def atomic_mutations() -> bool:
    """Tell whether graphene-django runs each mutation operation in a transaction."""
    return (
        graphene_settings.ATOMIC_MUTATIONS is True
        or connections[DEFAULT_DB_ALIAS].settings_dict.get('ATOMIC_MUTATIONS', False) is True
    )


def refusal(fields: RootFields, operation: OperationDefinitionNode | None) -> str | None:
    """Return why the operation cannot run: one transaction would hold our writes and the project's fields."""
    if not (fields.writing and fields.project):
        return None
    mutation = operation is not None and operation.operation == OperationType.MUTATION
    if not (atomic_request_aliases() or (mutation and atomic_mutations())):
        return None
    return errors.MIXED_WITH_PROJECT_FIELDS.format(
        ours=', '.join(sorted(fields.writing)),
        project=', '.join(sorted(fields.project)),
    )


def _has_mutation_errors(request: HttpRequest) -> bool:
    return getattr(request, MUTATION_ERRORS_FLAG, False) is True


def _execute(request: HttpRequest, mutation: bool, execute: Callable[[], ExecutionResult]) -> ExecutionResult:
    """graphene-django's execution: an ATOMIC_MUTATIONS block, and errors as results."""
    try:
        if mutation and atomic_mutations():
            with transaction.atomic():
                result = execute()
                if _has_mutation_errors(request):
                    transaction.set_rollback(True)
            return result
        return execute()
    except Exception as error:  # noqa: BLE001 - graphene-django answers these as errors too
        return _error_result(error)


def _error_result(error: Exception) -> ExecutionResult:
    """An answer carrying ``error`` itself, as graphene-django's view makes one.

    Its ``format_error`` takes any exception, so the error is not wrapped in
    a GraphQLError (whose message would then differ for an empty one).
    """
    return ExecutionResult(errors=[cast(GraphQLError, error)])


def execute_in_transactions(
    request: HttpRequest,
    fields: RootFields,
    operation: OperationDefinitionNode | None,
    execute: Callable[[], ExecutionResult],
) -> ExecutionResult:
    """Run ``execute`` in the transactions graphene-django's view would, unless only ours run."""
    if fields.only_ours:
        try:
            return execute()
        except Exception as error:  # noqa: BLE001 - as above
            return _error_result(error)
    mutation = operation is not None and operation.operation == OperationType.MUTATION
    with ExitStack() as blocks:
        # Django wraps the view for each alias in turn: the last one outermost.
        for alias in reversed(atomic_request_aliases()):
            blocks.enter_context(transaction.atomic(using=alias))
        result = _execute(request, mutation, execute)
        if result.errors or _has_mutation_errors(request):
            set_rollback()  # as graphene-django's get_response does, inside the request's blocks
    return result
