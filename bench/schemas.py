"""The two GraphQL schemas of the benchmark, one per GraphQL contender."""

import graphene
import graphql_jwt

import gql_djwto.schema
from gql_djwto.decorators import jwt_login_required


class Query(graphene.ObjectType):
    """``me``, ``me_user`` and ``public_me`` answer the same; ``public_me`` needs no token.

    ``me`` reads the name from the claims (``request.payload``), ``me_user``
    from ``info.context.user`` (the TokenUser that gql_djwto builds).
    """

    me = graphene.String()
    me_user = graphene.String()
    public_me = graphene.String()

    @jwt_login_required
    def resolve_me(root, info):
        return info.context.payload['user']['username']

    def resolve_public_me(root, info):
        return 'alice'

    @jwt_login_required
    def resolve_me_user(root, info):
        return info.context.user.get_username()


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    pass


gql_djwto_schema = graphene.Schema(query=Query, mutation=Mutation)


class GraphqlJwtQuery(graphene.ObjectType):
    ok = graphene.Boolean(default_value=True)


class GraphqlJwtMutation(graphene.ObjectType):
    token_auth = graphql_jwt.ObtainJSONWebToken.Field()
    verify_token = graphql_jwt.Verify.Field()
    refresh_token = graphql_jwt.Refresh.Field()


graphql_jwt_schema = graphene.Schema(query=GraphqlJwtQuery, mutation=GraphqlJwtMutation)
