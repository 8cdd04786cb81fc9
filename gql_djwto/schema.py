"""The root Mutation type for a project's schema to inherit.

class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    ...
"""

import graphene

from .mutations import (
    DeleteCookies,
    RefreshAccess,
    Revoke,
    RevokeAll,
    TokenAuth,
    UpdateRefresh,
    Verify,
)


class Mutation(graphene.ObjectType):
    token_auth = TokenAuth.Field()
    refresh_access = RefreshAccess.Field()
    update_refresh = UpdateRefresh.Field()
    revoke = Revoke.Field()
    verify = Verify.Field()
    delete_cookies = DeleteCookies.Field()
    revoke_all = RevokeAll.Field()
