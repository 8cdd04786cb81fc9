"""gql_djwto.relay: the six mutations as Relay mutations, through the real view, in every mode.

The project's schema is tests/relay_schema.py, served by tests/relay_urls.py at
gql_djwto's two URLs (/graphql/ and under the refresh cookie's path).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import checks
from django.db import connections
from django.test import Client
from graphql import build_client_schema, get_introspection_query, graphql_sync, print_schema

from gql_djwto.models import JWTBlacklist

from .conftest import GRAPHQL, REFRESH_GRAPHQL, Api, Result

RELAY_SCHEMA = 'tests.relay_schema.schema'
RELAY_URLS = 'tests.relay_urls'
PLAIN_URLS = 'tests.urls'

RELAY_LOGIN = """mutation Login($input: TokenAuthInput!) {
  tokenAuth(input: $input) { msg access refresh clientMutationId }
}"""

# name -> (relay document, plain document, the token it reads, success msg in JSON / cookie modes)
OPERATIONS = {
    'refreshAccess': (
        'mutation { refreshAccess(input: {clientMutationId: "c"}) { msg access refresh clientMutationId } }',
        'mutation { refreshAccess { msg access refresh } }',
        'refresh',
        'Access token successfully refreshed.',
    ),
    'updateRefresh': (
        'mutation { updateRefresh(input: {clientMutationId: "c"}) { msg access refresh clientMutationId } }',
        'mutation { updateRefresh { msg access refresh } }',
        'refresh',
        'Refresh token successfully updated.',
    ),
    'revoke': (
        'mutation { revoke(input: {clientMutationId: "c"}) { msg clientMutationId } }',
        'mutation { revoke { msg } }',
        'refresh',
        'Token successfully blacklisted.',
    ),
    'verify': (
        'mutation { verify(input: {clientMutationId: "c"}) { msg claims clientMutationId } }',
        'mutation { verify { msg claims } }',
        'access',
        'Token is valid',
    ),
    'verifyRefresh': (
        'mutation { verify(input: {jwtType: REFRESH, clientMutationId: "c"}) { msg claims clientMutationId } }',
        'mutation { verify(jwtType: REFRESH) { msg claims } }',
        'refresh',
        'Token is valid',
    ),
    'deleteCookies': (
        'mutation { deleteCookies(input: {clientMutationId: "c"}) { msg clientMutationId } }',
        'mutation { deleteCookies { msg } }',
        'access',
        None,
    ),
}


@pytest.fixture
def relay(settings) -> None:
    settings.ROOT_URLCONF = RELAY_URLS


def login(
    api: Api, password: str = 'pass', client_mutation_id: str | None = 'login-1', **kwargs: Any
) -> Result:
    credentials = {'username': 'alice', 'password': password}
    if client_mutation_id is not None:
        credentials['clientMutationId'] = client_mutation_id
    result = api.post(RELAY_LOGIN, {'input': credentials}, **kwargs)
    answer = (result.data or {}).get('tokenAuth') or {}
    if answer.get('access'):
        api.access, api.refresh = answer['access'], answer['refresh']
    return result


def send(api: Api, document: str, reads: str, **kwargs: Any) -> Result:
    return api.with_refresh(document, **kwargs) if reads == 'refresh' else api.with_access(document, **kwargs)


def field_of(document: str) -> str:
    return document.split('{', 2)[1].split('(')[0].split('{')[0].strip()


def test_relay_login_issues_tokens_and_echoes_the_client_mutation_id(relay, api):
    answer = login(api).field('tokenAuth')
    assert answer['msg'] == 'Tokens successfully created.'
    assert answer['clientMutationId'] == 'login-1'
    if api.mode == 'JSON':
        assert answer['access'].startswith('ey') and answer['refresh'].startswith('ey')
    else:
        assert answer['access'] is None and answer['refresh'] is None
        assert api.client.cookies['jwt_refresh']['path'] == '/api/token/refresh'
    assert api.with_access('{ me }').field('me') == 'alice'


def test_relay_login_without_client_mutation_id_answers_null(relay, api):
    assert login(api, client_mutation_id=None).field('tokenAuth')['clientMutationId'] is None


@pytest.mark.parametrize('name', OPERATIONS)
def test_each_relay_mutation_runs_its_operation(relay, api, recorder, name):
    relay_document, _, reads, msg = OPERATIONS[name]
    login(api)
    recorder.clear()
    answer = send(api, relay_document, reads).field(field_of(relay_document))
    if msg is None:  # deleteCookies
        msg = 'No token to delete.' if api.mode == 'JSON' else 'Tokens successfully deleted.'
    assert answer['msg'] == msg
    assert answer['clientMutationId'] == 'c'
    signal = {
        'refreshAccess': ['jwt_access_refreshed'],
        'updateRefresh': ['jwt_refresh_updated'],
        'revoke': ['jwt_blacklisted'],
        'verify': ['jwt_token_validated'],
        'verifyRefresh': ['jwt_token_validated'],
        'deleteCookies': [],
    }[name]
    assert recorder.names() == signal
    if name == 'revoke':
        assert JWTBlacklist.objects.count() == 1
    if name.startswith('verify'):
        assert answer['claims']['type'] == reads
    if name in ('refreshAccess', 'updateRefresh') and api.mode == 'JSON':
        assert answer['access'].startswith('ey')
    if name == 'deleteCookies' and api.mode != 'JSON':
        assert api.post('{ me }').errors  # the access cookie is gone


def answers_of_both_schemas(settings, run) -> tuple[Result, Result]:
    """Run ``run(relay)`` against the Relay schema, then ``run(plain)`` against the plain one."""
    settings.ROOT_URLCONF = RELAY_URLS
    relay_result = run(True)
    settings.ROOT_URLCONF = PLAIN_URLS
    return relay_result, run(False)


def assert_same_error(relay_result: Result, plain_result: Result, status: int, reason: str) -> None:
    assert relay_result.error['message'] == plain_result.error['message']
    assert relay_result.error['extensions'] == plain_result.error['extensions']
    assert relay_result.error['extensions']['status'] == status
    assert relay_result.error['extensions']['reason'] == reason


def test_relay_wrong_password_is_the_plain_401(settings, mode, alice):
    def run(relay: bool) -> Result:
        from .conftest import browser_like

        api = browser_like(mode)
        if relay:
            return login(api, password='wrong')
        return api.login(password='wrong')

    relay_result, plain_result = answers_of_both_schemas(settings, run)
    assert_same_error(relay_result, plain_result, 401, 'BAD_CREDENTIALS')
    assert relay_result.error['extensions']['code'] == 'UNAUTHENTICATED'
    assert relay_result.data == {'tokenAuth': None}


@pytest.mark.parametrize('name', OPERATIONS)
def test_relay_mutations_without_a_token_fail_as_the_plain_ones(settings, mode, alice, name):
    relay_document, plain_document, reads, _ = OPERATIONS[name]

    def run(relay: bool) -> Result:
        from .conftest import browser_like

        return send(browser_like(mode), relay_document if relay else plain_document, reads)

    relay_result, plain_result = answers_of_both_schemas(settings, run)
    assert_same_error(relay_result, plain_result, 403, 'TOKEN_MISSING')
    assert relay_result.error['extensions']['code'] == 'FORBIDDEN'
    assert relay_result.error['path'] == [field_of(relay_document)]


def test_relay_revoke_twice_is_the_plain_409(relay, api):
    revoke = OPERATIONS['revoke'][0]
    login(api)
    assert send(api, revoke, 'refresh').field('revoke')['msg'] == 'Token successfully blacklisted.'
    again = send(api, revoke, 'refresh')
    assert again.error['message'] == 'Input jti token is already blacklisted.'
    assert again.error['extensions'] == {'code': 'CONFLICT', 'status': 409, 'reason': 'ALREADY_BLACKLISTED'}
    refused = send(api, OPERATIONS['refreshAccess'][0], 'refresh')
    assert refused.error['message'] == "Can't update access token."
    assert refused.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'TOKEN_REVOKED',
    }


def test_relay_refresh_off_the_refresh_path_is_refused_in_cookie_modes(relay, cookie_api):
    login(cookie_api)
    result = cookie_api.post(OPERATIONS['refreshAccess'][0], path=GRAPHQL)
    assert result.error['message'] == (
        'Refresh cookie is only sent in path "/api/token/refresh". Requested path was: /graphql/.'
    )
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'REFRESH_OFF_PATH'}


# CSRF: the view's login-only rule must know the Relay tokenAuth.


@pytest.fixture
def fresh(cookie_mode, alice, relay) -> Api:
    """A browser that never loaded a page: no csrftoken cookie yet."""
    return Api(Client(enforce_csrf_checks=True), cookie_mode)


def test_relay_login_alone_needs_no_csrf_token(fresh):
    result = login(fresh, csrf=False)
    assert result.status == 200
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert result.cookie('csrftoken').value


@pytest.mark.parametrize('name', OPERATIONS)
def test_relay_operations_need_the_csrf_token_in_cookie_modes(fresh, name):
    relay_document, _, reads, _ = OPERATIONS[name]
    login(fresh, csrf=False)
    refused = send(fresh, relay_document, reads, csrf=False)
    assert refused.status == 403
    assert refused.error['message'] == 'CSRF Failed: CSRF token missing.'
    assert refused.error['extensions']['reason'] == 'CSRF_FAILED'
    assert not send(fresh, relay_document, reads).errors


def test_relay_login_beside_another_mutation_needs_the_csrf_token(fresh):
    document = (
        'mutation { tokenAuth(input: {username: "alice", password: "pass"}) { msg } '
        'verify(input: {}) { msg } }'
    )
    assert fresh.post(document, csrf=False).status == 403


# Transactions: the Relay revoke and tokenAuth are never run in the project's transaction.

ADD_GROUP = 'addGroup(input: {name: "written"}) { errors { field messages } }'


@pytest.mark.parametrize(
    'ours, refused',
    [
        ('revoke(input: {}) { msg }', True),
        ('tokenAuth(input: {username: "alice", password: "pass"}) { msg }', True),
        ('verify(input: {}) { msg }', False),
    ],
    ids=['revoke', 'tokenAuth', 'verify'],
)
def test_relay_writers_mixed_with_project_fields_are_refused_under_atomic_requests(
    monkeypatch, relay, settings, alice, ours, refused
):
    settings.DJWTO_MODE = 'JSON'
    monkeypatch.setitem(connections['default'].settings_dict, 'ATOMIC_REQUESTS', True)
    response = Client().post(
        GRAPHQL, {'query': f'mutation {{ {ours} {ADD_GROUP} }}'}, content_type='application/json'
    )
    body = response.json()
    if refused:
        assert response.status_code == 400
        name = ours.split('(')[0]
        assert body['errors'][0]['message'].startswith(f'The document mixes {name} with the project')
        assert body['errors'][0]['extensions'] == {
            'code': 'BAD_REQUEST',
            'status': 400,
            'reason': 'MIXED_TRANSACTION',
        }
        assert not Group.objects.exists()
    else:
        assert response.status_code == 200
        assert body['data']['addGroup'] == {'errors': []}


def test_the_schema_check_accepts_the_relay_mutations(settings):
    settings.GRAPHENE = {'SCHEMA': RELAY_SCHEMA}
    assert [m for m in checks.run_checks() if m.id in ('gql_djwto.E102', 'gql_djwto.E103')] == []


def test_relay_refresh_at_the_refresh_path_in_every_mode(relay, api):
    login(api)
    result = api.post(
        OPERATIONS['refreshAccess'][0],
        path=REFRESH_GRAPHQL,
        bearer=api.refresh if api.mode == 'JSON' else None,
    )
    assert result.field('refreshAccess')['msg'] == 'Access token successfully refreshed.'


def test_relay_schema_introspects_and_prints_its_inputs():
    from .relay_schema import schema

    result = graphql_sync(schema.graphql_schema, get_introspection_query())
    assert result.errors is None
    printed = print_schema(build_client_schema(result.data))
    assert 'tokenAuth(input: TokenAuthInput!): TokenAuthPayload' in printed
    assert 'jwtType: JWTType = ACCESS' in printed
    assert 'clientMutationId: String' in printed
