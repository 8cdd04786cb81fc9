import graphene
from django import forms
from django.contrib.auth.models import Group
from graphene.types.generic import GenericScalar
from graphene_django.forms.mutation import DjangoFormMutation
from graphql import GraphQLError

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

    # request.user as a resolver sees it (gql_djwto.authentication).
    request_user = GenericScalar()
    me_from_user = graphene.String()

    def resolve_request_user(root, info):
        return describe_user(info.context)

    @jwt_login_required
    def resolve_me_from_user(root, info):
        return info.context.user.get_username()


def describe_user(request):
    """What a project reads of ``request.user``; each line touches it anew."""
    return {
        'class': request.user.__class__.__name__,
        'username': request.user.get_username(),
        'pk': request.user.pk,
        'authenticated': request.user.is_authenticated,
        'canViewUsers': request.user.has_perm('auth.view_user'),
        'authModule': request.user.has_module_perms('auth'),
    }


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)


# A project's own mutations beside gql_djwto's, served by our view and by
# graphene-django's for comparison (tests/urls.py).


class GroupForm(forms.Form):
    name = forms.CharField(max_length=150)


class AddGroup(DjangoFormMutation):
    """Add a group, or report the form's errors (graphene-django then rolls back)."""

    class Meta:
        form_class = GroupForm

    @classmethod
    def perform_mutate(cls, form, info):
        Group.objects.create(name=form.cleaned_data['name'])
        return cls(errors=[], **form.cleaned_data)


class RenameMe(graphene.Mutation):
    """Change the first name of the user the session authenticates."""

    class Arguments:
        first_name = graphene.String(required=True)

    ok = graphene.Boolean()

    @classmethod
    def mutate(cls, root, info, first_name):
        user = info.context.user
        if not user.is_authenticated:
            raise GraphQLError('Log in first.')
        user.first_name = first_name
        user.save(update_fields=['first_name'])
        return cls(ok=True)


class Fail(graphene.Mutation):
    """A project mutation that always raises."""

    ok = graphene.Boolean()

    @classmethod
    def mutate(cls, root, info):
        raise GraphQLError('This mutation always fails.')


class ProjectMutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    add_group = AddGroup.Field()
    rename_me = RenameMe.Field()
    fail = Fail.Field()


project_schema = graphene.Schema(query=Query, mutation=ProjectMutation)
