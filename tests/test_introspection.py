"""The schema's introspection: every default must be one graphql-core can print and read back."""

import json

from django.test import Client
from graphql import GraphQLEnumType, build_client_schema, get_introspection_query, graphql_sync, print_schema

from .conftest import GRAPHQL, VERIFY
from .schema import schema


def verify_jwt_type_argument():
    return schema.graphql_schema.mutation_type.fields['verify'].args['jwtType']


def test_verify_defaults_to_the_access_member_of_its_enum():
    argument = verify_jwt_type_argument()
    # graphql-core's own serialize, not graphene's lenient one (graphql-core 3.3 uses it).
    assert GraphQLEnumType.serialize(argument.type, argument.default_value) == 'ACCESS'


def test_introspection_answers_verify_default_and_builds_a_client_schema():
    result = graphql_sync(schema.graphql_schema, get_introspection_query())
    assert result.errors is None
    [mutation] = [t for t in result.data['__schema']['types'] if t['name'] == 'Mutation']
    [verify] = [f for f in mutation['fields'] if f['name'] == 'verify']
    assert verify['args'][0]['defaultValue'] == 'ACCESS'
    assert 'verify(jwtType: JWTType = ACCESS)' in print_schema(build_client_schema(result.data))


def test_introspection_over_http_has_no_errors(db):
    response = Client().post(
        GRAPHQL, json.dumps({'query': get_introspection_query()}), content_type='application/json'
    )
    assert response.status_code == 200 and 'errors' not in response.json()


def test_verify_without_argument_still_checks_the_access_token(logged_in):
    assert logged_in.with_access(VERIFY).field('verify')['claims']['type'] == 'access'
