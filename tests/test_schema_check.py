"""The system check of GRAPHENE['SCHEMA']: importable, and serving gql_djwto's mutations."""

import graphene
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from graphene_django import settings as graphene_django_settings

import gql_djwto.schema
from gql_djwto.mutations import TokenAuth, Verify


class Query(graphene.ObjectType):
    ping = graphene.String()


class ProjectMutation(graphene.Mutation):
    ok = graphene.Boolean()

    def mutate(root, info):
        return ProjectMutation(ok=True)


class OnlyProjectMutations(graphene.ObjectType):
    do_something = ProjectMutation.Field()


class SomeOfOurs(graphene.ObjectType):
    login = TokenAuth.Field()
    check = Verify.Field()


class Inherited(gql_djwto.schema.Mutation, graphene.ObjectType):
    do_something = ProjectMutation.Field()


no_mutation_type = graphene.Schema(query=Query)
only_project_mutations = graphene.Schema(query=Query, mutation=OnlyProjectMutations)
some_of_ours = graphene.Schema(query=Query, mutation=SomeOfOurs)
inherited = graphene.Schema(query=Query, mutation=Inherited)
not_a_schema = {'query': Query}

HERE = 'tests.test_schema_check'


def schema_messages(path):
    with override_settings(GRAPHENE={'SCHEMA': path}):
        return [m for m in checks.run_checks() if m.id in ('gql_djwto.E102', 'gql_djwto.E103')]


@pytest.mark.parametrize(
    'path, error',
    [
        ('tests.schema_that_fails_to_import.schema', 'RuntimeError: the schema module has a bug'),
        ('tests.no_such_module.schema', 'ModuleNotFoundError'),
        (f'{HERE}.no_such_schema', 'ImportError'),
        (f'{HERE}.not_a_schema', 'is not a graphene Schema'),
    ],
    ids=['module-raises', 'no-module', 'no-attribute', 'not-a-schema'],
)
def test_a_schema_that_cannot_be_imported_is_a_check_error(path, error):
    [message] = schema_messages(path)
    assert message.level == checks.ERROR and message.id == 'gql_djwto.E102'
    assert "GRAPHENE['SCHEMA']" in message.msg and path in message.msg and error in message.msg


@pytest.mark.parametrize('name', ['no_mutation_type', 'only_project_mutations'])
def test_a_schema_without_our_mutations_is_a_check_error(name):
    [message] = schema_messages(f'{HERE}.{name}')
    assert message.level == checks.ERROR and message.id == 'gql_djwto.E103'
    assert "GRAPHENE['SCHEMA']" in message.msg and 'tokenAuth' in message.msg
    assert 'gql_djwto.schema.Mutation' in message.hint


@pytest.mark.parametrize('name', ['some_of_ours', 'inherited'])
def test_a_schema_serving_our_mutations_passes(name):
    assert schema_messages(f'{HERE}.{name}') == []


def test_the_tests_schema_passes():
    assert schema_messages('tests.schema.schema') == []


def test_no_schema_setting_is_not_checked():
    with override_settings(GRAPHENE={}):
        assert [m for m in checks.run_checks() if m.id in ('gql_djwto.E102', 'gql_djwto.E103')] == []


def test_manage_py_check_fails_on_a_broken_schema_and_graphene_django_agrees():
    path = 'tests.schema_that_fails_to_import.schema'
    with override_settings(GRAPHENE={'SCHEMA': path}):
        with pytest.raises(SystemCheckError, match=r'gql_djwto\.E102'):
            call_command('check')
        with pytest.raises(RuntimeError, match='the schema module has a bug'):
            graphene_django_settings.graphene_settings.SCHEMA  # noqa: B018 - what the first request meets
