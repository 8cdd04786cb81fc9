"""The GraphQL mutations: thin classes over the token service."""

from __future__ import annotations

import functools
from typing import Any

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables
from graphene.types.generic import GenericScalar
from graphql import GraphQLSchema, OperationType, get_named_type

from . import service
from .errors import JWTError
from .refusals import graphql_error
from .service import Outcome
from .tokens import ACCESS, REFRESH


class JWTType(graphene.Enum):
    """Which token to read."""

    ACCESS = ACCESS
    REFRESH = REFRESH


class ServiceMutation(graphene.Mutation):
    """A mutation that runs one service operation and answers its outcome."""

    class Meta:
        abstract = True

    msg = graphene.String(required=True)

    # Whether the operation writes what no rollback may undo (the blacklist,
    # the login failure counts, which a database cache may hold): the view
    # never runs it inside a transaction that holds the project's fields.
    writes_database = False
    # Whether it writes so when refresh tokens rotate (DJWTO_ROTATE_REFRESH_TOKENS):
    # a rolled-back rotation would leave two live refresh tokens.
    rotates = False

    @classmethod
    def perform(cls, request: HttpRequest, *args: Any, **arguments: Any) -> Outcome:
        """Run the operation with the mutation's arguments (each subclass names its own)."""
        raise NotImplementedError

    @classmethod
    @sensitive_variables('arguments')
    def mutate(cls, root: Any, info: Any, **arguments: Any) -> ServiceMutation:
        try:
            outcome = cls.perform(info.context, **arguments)
        except (JWTError, ImproperlyConfigured) as error:
            raise graphql_error(error) from None
        return cls(
            **{
                name: getattr(outcome, name)
                for name in cls._meta.fields
                if name != 'msg' and hasattr(outcome, name)
            },
            msg=outcome.msg,
        )


class TokenMutation(ServiceMutation):
    """A mutation that issues tokens: returned in JSON mode, set as cookies otherwise."""

    class Meta:
        abstract = True

    access = graphene.String(description='The access token (JSON mode only).')
    refresh = graphene.String(description='The refresh token (JSON mode only).')


class TokenAuth(TokenMutation):
    """Log in with a username and password (djwto's GetTokensView)."""

    writes_database = True  # a failed attempt is counted for throttling

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)

    @classmethod
    @sensitive_variables('password')
    def perform(cls, request: HttpRequest, username: str, password: str) -> Outcome:
        return service.login(request, username, password)


class RefreshAccess(TokenMutation):
    """Issue a new access token from the refresh token (djwto's RefreshAccessView)."""

    rotates = True

    @classmethod
    def perform(cls, request: HttpRequest) -> Outcome:
        return service.refresh_access(request)


class UpdateRefresh(TokenMutation):
    """Extend the refresh token's life (djwto's UpdateRefreshView)."""

    rotates = True

    @classmethod
    def perform(cls, request: HttpRequest) -> Outcome:
        return service.update_refresh(request)


class Revoke(ServiceMutation):
    """Blacklist the refresh token (djwto's BlackListTokenView, POST)."""

    writes_database = True

    @classmethod
    def perform(cls, request: HttpRequest) -> Outcome:
        return service.revoke(request)


class Verify(ServiceMutation):
    """Check a token and return its claims (djwto's ValidateTokensView)."""

    class Arguments:
        # The enum's member, not its value: graphql-core (3.3 and up) serializes
        # the default for introspection with the enum's own serialize.
        jwt_type = JWTType(default_value=JWTType.ACCESS)

    claims = GenericScalar()

    @classmethod
    def perform(cls, request: HttpRequest, jwt_type: Any = ACCESS) -> Outcome:
        return service.verify(request, getattr(jwt_type, 'value', jwt_type))


class DeleteCookies(ServiceMutation):
    """Delete the token cookies (djwto's BlackListTokenView, DELETE)."""

    @classmethod
    def perform(cls, request: HttpRequest) -> Outcome:
        return service.delete_cookies(request)


class RevokeAll(ServiceMutation):
    """End every session of the token's user issued before now (ours, DJWTO_REVOKE_ALL)."""

    writes_database = True

    class Arguments:
        jwt_type = JWTType(default_value=JWTType.ACCESS)

    @classmethod
    def perform(cls, request: HttpRequest, jwt_type: Any = ACCESS) -> Outcome:
        return service.revoke_all(request, getattr(jwt_type, 'value', jwt_type))


@functools.lru_cache(maxsize=16)
def service_fields(
    schema: GraphQLSchema, operation_type: OperationType = OperationType.MUTATION
) -> dict[str, type[ServiceMutation]]:
    """Return the root fields of ``operation_type`` that serve gql_djwto's mutations, by name."""
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation_type]
    found = {}
    for name, field in root.fields.items() if root else ():
        graphene_type = getattr(get_named_type(field.type), 'graphene_type', None)
        if isinstance(graphene_type, type) and issubclass(graphene_type, ServiceMutation):
            found[name] = graphene_type
    return found
