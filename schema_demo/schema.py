import graphene

import gql_djwto.schema
from gql_djwto.decorators import jwt_login_required, jwt_perm_required


class Me(graphene.ObjectType):
    """The logged-in user, as the access token's claims describe them."""

    username = graphene.String()
    id = graphene.ID()
    perms = graphene.List(graphene.String)


class WhoAmI(graphene.ObjectType):
    """``request.user`` as Django code sees it (DJWTO_REQUEST_USER)."""

    username = graphene.String()
    is_authenticated = graphene.Boolean()
    can_view_users = graphene.Boolean(description="request.user.has_perm('auth.view_user')")


class Query(graphene.ObjectType):
    me = graphene.Field(Me, description='Needs a good access token.')
    whoami = graphene.Field(WhoAmI, description="request.user: the token's user, else anonymous.")
    user_count = graphene.Int(description='Needs the auth.view_user permission.')

    @jwt_login_required
    def resolve_me(root, info):
        user = info.context.payload['user']
        return Me(username=user['username'], id=user['id'], perms=user['perms'])

    def resolve_whoami(root, info):
        user = info.context.user
        return WhoAmI(
            username=user.get_username(),
            is_authenticated=user.is_authenticated,
            can_view_users=user.has_perm('auth.view_user'),
        )

    @jwt_perm_required(['auth.view_user'])
    def resolve_user_count(root, info):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.count()


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
