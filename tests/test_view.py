"""The GraphQL view: documents, HTTP answers, GraphiQL and the document cache."""

import hashlib
import inspect
import json
import textwrap

import graphene
import pytest
from django.db import connection
from django.test import Client
from graphene_django.views import GraphQLView

from gql_djwto.documents import documents
from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode
from gql_djwto.views import DjwtoGraphQLView

from .conftest import ACCESS_COOKIE, GRAPHQL, REFRESH_ACCESS, REFRESH_GRAPHQL, VERIFY, Api
from .schema import schema as test_schema


def test_several_mutations_in_one_document_each_set_their_cookies(cookie_api, clock):
    cookie_api.login()
    login_iat = decode(cookie_api.token('refresh'))['iat']
    clock.tick(60)
    result = cookie_api.with_refresh(
        'mutation { updateRefresh { msg } verify(jwtType: REFRESH) { msg } refreshAccess { msg } }'
    )
    assert result.data == {
        'updateRefresh': {'msg': 'Refresh token successfully updated.'},
        'verify': {'msg': 'Token is valid'},
        'refreshAccess': {'msg': 'Access token successfully refreshed.'},
    }
    refresh = decode(result.cookie('jwt_refresh').value)
    access = decode(result.cookie(ACCESS_COOKIE[cookie_api.mode]).value)
    assert refresh['iat'] == login_iat + 60, 'the updated refresh cookie reached the response'
    assert access['refresh_iat'] == refresh['iat']


def test_a_failing_field_does_not_stop_the_others(logged_in):
    result = logged_in.with_refresh(
        'mutation { a: refreshAccess { msg } revoke { msg } b: refreshAccess { msg } }'
    )
    assert result.data == {
        'a': {'msg': 'Access token successfully refreshed.'},
        'revoke': {'msg': 'Token successfully blacklisted.'},
        'b': None,
    }
    assert [e['path'] for e in result.errors] == [['b']]


@pytest.mark.django_db(transaction=True)
def test_revoke_survives_another_field_failing_under_atomic_requests(alice, settings, monkeypatch):
    settings.DJWTO_MODE = 'JSON'
    monkeypatch.setitem(connection.settings_dict, 'ATOMIC_REQUESTS', True)
    api = Api(Client(), 'JSON')
    api.login()
    result = api.with_refresh('mutation { revoke { msg } refreshAccess { msg } }')
    assert result.data['revoke'] == {'msg': 'Token successfully blacklisted.'}
    assert result.errors
    assert JWTBlacklist.objects.count() == 1


def test_mutations_over_get_are_refused(logged_in):
    response = logged_in.client.get(GRAPHQL, {'query': VERIFY}, HTTP_ACCEPT='application/json')
    assert response.status_code == 405
    error = response.json()['errors'][0]
    assert error['message'] == 'Can only perform a mutation operation from a POST request.'
    assert error['extensions'] == {
        'code': 'METHOD_NOT_ALLOWED',
        'status': 405,
        'reason': 'METHOD_NOT_ALLOWED',
    }


@pytest.mark.parametrize(
    'body, content_type',
    [
        ('{not json', 'application/json'),
        ('[1, 2]', 'application/json'),
        ('', 'application/json'),
        (b'\xff\xfe', 'application/json'),
        ('query', 'text/plain'),
    ],
)
def test_malformed_requests_get_a_400_json_error(db, body, content_type):
    response = Client().post(GRAPHQL, body, content_type=content_type)
    assert response.status_code == 400
    assert response['Content-Type'] == 'application/json'
    body = response.json()
    assert body['errors'][0]['message']
    assert 'Traceback' not in response.content.decode()


def test_syntax_errors_are_graphql_errors(db):
    response = Client().post(GRAPHQL, json.dumps({'query': 'mutation {'}), content_type='application/json')
    assert response.status_code == 400
    assert response.json()['errors'][0]['message'].startswith('Syntax Error')


@pytest.mark.parametrize('path', [GRAPHQL, REFRESH_GRAPHQL])
def test_graphiql_is_served_at_both_urls(db, path):
    response = Client().get(path, HTTP_ACCEPT='text/html')
    assert response.status_code == 200
    assert b'graphiql' in response.content.lower()


def test_graphiql_can_be_turned_off(db, settings):
    settings.DJWTO_GRAPHIQL = False
    response = Client().get(GRAPHQL, HTTP_ACCEPT='text/html')
    assert b'graphiql' not in response.content.lower()


class TestDocumentCache:
    @pytest.fixture(autouse=True)
    def empty_cache(self):
        documents.clear()
        yield
        documents.clear()

    def test_valid_documents_are_reused(self, db):
        rules = DjwtoGraphQLView(schema=test_schema).get_validation_rules()
        Client().post(GRAPHQL, json.dumps({'query': '{ me }'}), content_type='application/json')
        assert len(documents) == 1
        first = documents.get(test_schema.graphql_schema, '{ me }', rules)[0]
        Client().post(GRAPHQL, json.dumps({'query': '{ me }'}), content_type='application/json')
        assert documents.get(test_schema.graphql_schema, '{ me }', rules)[0] is first
        assert len(documents) == 1

    def test_invalid_documents_are_never_cached(self, db):
        for query in ['{ nope }', '{', 'mutation { verify { nope } }']:
            Client().post(GRAPHQL, json.dumps({'query': query}), content_type='application/json')
        assert len(documents) == 0

    def test_the_cache_is_bounded_by_the_setting(self, settings):
        settings.DJWTO_DOCUMENT_CACHE_SIZE = 2
        schema = test_schema.graphql_schema
        oldest = documents.get(schema, '{ a: me }')[0]
        documents.get(schema, '{ b: me }')
        documents.get(schema, '{ c: me }')
        assert len(documents) == 2
        assert documents.get(schema, '{ a: me }')[0] is not oldest

    def test_size_zero_disables_the_cache(self, settings):
        settings.DJWTO_DOCUMENT_CACHE_SIZE = 0
        documents.get(test_schema.graphql_schema, '{ me }')
        assert len(documents) == 0

    def test_two_schemas_never_share_an_entry(self):
        class Other(graphene.ObjectType):
            other = graphene.String()

        other_schema = graphene.Schema(query=Other).graphql_schema
        assert documents.get(test_schema.graphql_schema, '{ me }')[1] == []
        _, errors = documents.get(other_schema, '{ me }')
        assert [e.message for e in errors] == ["Cannot query field 'me' on type 'Other'."]
        assert len(documents) == 1


def test_refresh_flow_in_a_long_session(clock, logged_in):
    for _ in range(3):
        clock.tick(299)
        answer = logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
        if logged_in.mode == 'JSON':
            logged_in.access = answer['access']
        assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'


def test_later_operations_read_the_tokens_issued_earlier_in_the_document(clock, logged_in):
    clock.tick(60)
    result = logged_in.with_refresh('mutation { updateRefresh { refresh } refreshAccess { refresh access } }')
    updated = result.data['updateRefresh']['refresh']
    if logged_in.mode == 'JSON':
        assert result.data['refreshAccess']['refresh'] == updated
        assert decode(updated)['iat'] == decode(result.data['refreshAccess']['access'])['refresh_iat']
    else:
        assert (
            decode(result.cookie('jwt_refresh').value)['iat']
            == decode(logged_in.token('access'))['refresh_iat']
        )


def test_graphiql_reads_the_current_csrf_token_for_every_request(db):
    page = Client().get(GRAPHQL, HTTP_ACCEPT='text/html').content.decode()
    head = page[page.index('<head>') : page.index('graphiql.min.js')]
    assert 'window.fetch = function' in head, 'the CSRF-aware fetch loads before GraphiQL'
    assert '"csrftoken"' in head


def test_json_mode_api_answers_send_no_csrf_cookie(logged_in):
    answer = logged_in.with_access(VERIFY)
    sent = 'csrftoken' in answer.response.cookies
    assert sent == (logged_in.mode != 'JSON'), 'cookie modes renew the CSRF cookie with every answer'


def test_graphiql_page_sends_the_csrf_cookie_in_every_mode(mode, db):
    response = Client().get(GRAPHQL, HTTP_ACCEPT='text/html')
    assert 'csrftoken' in response.cookies


# The hash of graphene-django's GraphQLView.execute_graphql_request (dedented
# source) that DjwtoGraphQLView.execute_graphql_request was copied from: the
# same text in graphene-django 3.2.0, 3.2.1, 3.2.2 and 3.2.3.
COPIED_EXECUTE_GRAPHQL_REQUEST = '3e85818b64e6765bb7a5a5a935a6ff47de88e7e7f7feb25d589cf01bd457af39'


def test_the_copied_execute_graphql_request_is_still_graphene_djangos():
    source = textwrap.dedent(inspect.getsource(GraphQLView.execute_graphql_request))
    assert hashlib.sha256(source.encode()).hexdigest() == COPIED_EXECUTE_GRAPHQL_REQUEST, (
        "graphene-django changed GraphQLView.execute_graphql_request, which gql_djwto's "
        'DjwtoGraphQLView.execute_graphql_request copies. Compare the two: carry the change '
        'into the copy (or decide it does not apply), update the differences its docstring '
        'lists, then record the new hash here.'
    )
