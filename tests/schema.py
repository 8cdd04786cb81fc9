import graphene

import gql_djwto.schema
from gql_djwto.decorators import jwt_login_required, jwt_perm_required


class Query(graphene.ObjectType):
    me = graphene.String()
    secret = graphene.String()

    @jwt_login_required
    def resolve_me(root, info):
        return info.context.payload['user']['username']

    @jwt_perm_required(['auth.view_user'])
    def resolve_secret(root, info):
        return 'only for viewers'


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
