"""A project schema with gql_djwto's Relay mutations beside the project's own fields."""

import graphene

import gql_djwto.relay

from .schema import AddGroup, Query


class Mutation(gql_djwto.relay.Mutation, graphene.ObjectType):
    add_group = AddGroup.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
