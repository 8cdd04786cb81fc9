"""The profiles' project schema: a protected query, gql_djwto's mutations and one of its own.

``rename`` is the project's own mutation: a graphene-django form mutation
that writes to the database. It renames the user of the request's Django
session, or else the user of its access token; an invalid name is a form
error, which graphene-django's transaction settings roll back. ``refuse``
always fails, with a GraphQL error.
"""

import graphene
from django import forms
from django.contrib.auth import get_user_model
from graphene_django.forms.mutation import DjangoFormMutation
from graphql import GraphQLError

import gql_djwto.schema
from gql_djwto.decorators import jwt_login_required


@jwt_login_required
def token_user(root, info):
    return get_user_model()._default_manager.get(pk=info.context.payload['user']['id'])


def acting_user(info):
    """Return the session's user, or else the access token's (refusing a request with neither)."""
    user = info.context.user
    return user if user.is_authenticated else token_user(None, info)


class RenameForm(forms.Form):
    first_name = forms.CharField(max_length=30)

    def __init__(self, *args, info=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.info = info

    def save(self):
        user = acting_user(self.info)
        user.first_name = self.cleaned_data['first_name']
        user.save(update_fields=['first_name'])


class Rename(DjangoFormMutation):
    class Meta:
        form_class = RenameForm

    @classmethod
    def get_form_kwargs(cls, root, info, **input):
        return {**super().get_form_kwargs(root, info, **input), 'info': info}


class Refuse(graphene.Mutation):
    """A project mutation that always fails with a GraphQL error."""

    ok = graphene.Boolean()

    @classmethod
    def mutate(cls, root, info):
        raise GraphQLError('The project refuses.')


class Query(graphene.ObjectType):
    me = graphene.String()

    @jwt_login_required
    def resolve_me(root, info):
        return info.context.payload['user'][get_user_model().USERNAME_FIELD]

    # Unprotected: the class and name of info.context.user (DJWTO_REQUEST_USER).
    who = graphene.String()

    def resolve_who(root, info):
        return f'{info.context.user.__class__.__name__}: {info.context.user.get_username()}'


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    rename = Rename.Field()
    refuse = Refuse.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
