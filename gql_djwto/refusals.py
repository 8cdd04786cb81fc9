"""What a client is answered when gql_djwto refuses: one mapping for every caller.

A :class:`~gql_djwto.errors.JWTError` reaches a GraphQL client as a
:class:`~graphql.GraphQLError` (:func:`graphql_error`) and a plain Django
view's client as JSON (:func:`json_refusal`); both carry djwto's message and
our ``code``, ``status`` and ``reason``. The mutations, the decorators, the
middleware and the JWKS view all answer through here; only
:func:`graphql_error` loads graphql-core, so a project's plain Django views
never load it, nor graphene.

A bad setting met while serving a request follows one policy,
:func:`misconfigured`: fail closed. Whatever needed the setting is refused,
the error (which names the setting, never a key) is logged for the operator,
and the client gets djwto's ``Failed to process request.`` with code
INTERNAL_SERVER_ERROR, status 500 and reason NOT_PROCESSED — never a
traceback, never a default standing in for the bad value. Failing open
would guess at what the operator meant, and for an authentication setting
a wrong guess lets requests through; the system checks
(``gql_djwto.E0xx``) report the same error at start-up. One hook is left
out: the one ending sessions when a user's password changes
(``credentials.py``) runs inside the project's own saves, which must not
fail for our setting; it reads an invalid DJWTO_REVOKE_ALL as its default
(off), and the checks report it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse

from . import errors
from .errors import JWTError, Refused

if TYPE_CHECKING:
    from graphql import GraphQLError

logger = logging.getLogger('gql_djwto')


def misconfigured(error: ImproperlyConfigured, doing: str = 'serve the request') -> Refused:
    """Log a bad setting met while trying to ``doing``, and return the client's refusal."""
    logger.error('gql_djwto cannot %s: %s', doing, error)
    return Refused(errors.LOGIN_NOT_PROCESSED, reason=errors.Reason.NOT_PROCESSED)


def as_refusal(error: JWTError | ImproperlyConfigured) -> JWTError:
    """Return ``error`` as what the client is told: a bad setting becomes :func:`misconfigured`'s refusal."""
    if isinstance(error, ImproperlyConfigured):
        return misconfigured(error)
    return error


def graphql_error(error: JWTError | ImproperlyConfigured) -> GraphQLError:
    """Return ``error`` as a GraphQL error carrying its code, HTTP status and reason."""
    # Imported here: only resolvers and mutations get here, and the service
    # and plain Django views below them must not load graphql-core.
    from graphql import GraphQLError

    refusal = as_refusal(error)
    return GraphQLError(refusal.message, extensions=refusal.extensions)


def json_refusal(error: JWTError | ImproperlyConfigured) -> JsonResponse:
    """A Django view's answer to a refusal: djwto's ``error``, and our ``reason``."""
    refusal = as_refusal(error)
    return JsonResponse({'error': refusal.message, 'reason': refusal.reason}, status=refusal.status)
