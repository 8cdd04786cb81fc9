"""gql_djwto's mutations as Relay mutations: one ``input`` argument, ``clientMutationId`` echoed.

    class Mutation(gql_djwto.relay.Mutation, graphene.ObjectType):
        ...

    mutation { tokenAuth(input: {username: "alice", password: "pass", clientMutationId: "1"}) {
        msg access refresh clientMutationId } }

Each class here is also the plain mutation of the same name (a subclass of
it), so it runs the same service operation, answers the same fields and
errors, and the view treats it alike: CSRF (a login-only document needs no
token), transactions and the schema check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene
from django.views.decorators.debug import sensitive_variables
from graphene.relay import ClientIDMutation

from . import mutations
from .mutations import ServiceMutation

# The plain mutations' mutate, as a function: run for a Relay class, whose MRO finds
# ClientIDMutation's first.
_plain_mutate: Callable[..., ServiceMutation] = vars(ServiceMutation)['mutate'].__func__


# Abstract as a class keyword rather than a Meta class: graphene takes both, and each
# class below then has one Meta, its plain mutation's, for type checkers to compare.
# graphene has no stubs, so mypy checks the keyword against object.__init_subclass__.
class RelayServiceMutation(ClientIDMutation, abstract=True):  # type: ignore[call-arg]
    """A Relay mutation over a plain one: its arguments are the fields of ``input``."""

    @classmethod
    @sensitive_variables('arguments', 'fields')
    def mutate(cls, root: Any, info: Any, **arguments: Any) -> Any:
        fields = dict(arguments['input'])  # graphene passes the one argument, ``input``
        client_mutation_id = fields.pop('client_mutation_id', None)
        payload = _plain_mutate(cls, root, info, **fields)
        payload.client_mutation_id = client_mutation_id
        return payload


class TokenAuth(RelayServiceMutation, mutations.TokenAuth):
    """Log in with a username and password (djwto's GetTokensView)."""

    Input = mutations.TokenAuth.Arguments


class RefreshAccess(RelayServiceMutation, mutations.RefreshAccess):
    """Issue a new access token from the refresh token (djwto's RefreshAccessView)."""


class UpdateRefresh(RelayServiceMutation, mutations.UpdateRefresh):
    """Extend the refresh token's life (djwto's UpdateRefreshView)."""


class Revoke(RelayServiceMutation, mutations.Revoke):
    """Blacklist the refresh token (djwto's BlackListTokenView, POST)."""


class Verify(RelayServiceMutation, mutations.Verify):
    """Check a token and return its claims (djwto's ValidateTokensView)."""

    Input = mutations.Verify.Arguments


class DeleteCookies(RelayServiceMutation, mutations.DeleteCookies):
    """Delete the token cookies (djwto's BlackListTokenView, DELETE)."""


class RevokeAll(RelayServiceMutation, mutations.RevokeAll):
    """End every session of the token's user issued before now (ours)."""

    Input = mutations.RevokeAll.Arguments


class Mutation(graphene.ObjectType):
    token_auth = TokenAuth.Field()
    refresh_access = RefreshAccess.Field()
    update_refresh = UpdateRefresh.Field()
    revoke = Revoke.Field()
    verify = Verify.Field()
    delete_cookies = DeleteCookies.Field()
    revoke_all = RevokeAll.Field()
