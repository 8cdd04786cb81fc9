"""gql_djwto.testing: tokens_for, and JWTClient through the real view in every mode."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gql_djwto.models import JWTBlacklist
from gql_djwto.testing import JWTClient, tokens_for
from gql_djwto.tokens import decode_to_json

from .conftest import LOGIN, ME, REVOKE

NO_ACCESS_TOKEN = {
    'JSON': 'Token not found in "HTTP_AUTHORIZATION" header.',
    'ONE-COOKIE': 'Cookie "jwt_access" cannot be empty.',
    'TWO-COOKIES': 'Cookie "jwt_access_token" cannot be empty.',
}
ACCESS_LIFETIME = 5 * 60


@pytest.fixture
def client(mode, jwt_client) -> JWTClient:
    """The pytest plugin's ``jwt_client``, in each mode (this module's ``client``)."""
    return jwt_client


def me(client: JWTClient):
    return client.execute(ME)


# tokens_for and service.issue_tokens


def test_tokens_for_signs_a_pair_the_view_accepts(settings, alice, recorder):
    settings.DJWTO_MODE = 'JSON'
    tokens = tokens_for(alice)
    response = Client().post(
        '/graphql/',
        {'query': ME},
        content_type='application/json',
        HTTP_AUTHORIZATION=f'Bearer {tokens.access}',
    )
    assert response.json() == {'data': {'me': 'alice'}}
    assert json.loads(decode_to_json(tokens.refresh, 'refresh')) == tokens.refresh_claims
    assert tokens.access_claims['jti'] == tokens.refresh_claims['jti']
    assert recorder.names() == []  # no request, no login signal


def test_tokens_for_uses_the_configured_claims_handlers(settings, alice):
    settings.DJWTO_USER_CLAIMS_HANDLER = 'tests.handlers.user_claims_with_email'
    settings.DJWTO_PERMS_HANDLER = 'tests.handlers.perms_with_extra'
    claims = json.loads(decode_to_json(tokens_for(alice).access, 'access'))
    assert claims['user']['email'] == 'alice@example.com'
    assert claims['type'] == 'access'


def test_authenticate_is_a_login_sending_jwt_logged_in_once(client, alice, recorder):
    tokens = client.authenticate(alice)
    [(name, sender, kwargs)] = recorder.events
    assert (name, sender) == ('jwt_logged_in', 'GetTokensView')
    assert kwargs['request'].method == 'POST'
    assert kwargs['refresh_claims'] == tokens.refresh_claims
    assert kwargs['access_claims'] == tokens.access_claims


def test_authenticate_passes_its_request_to_the_claims_handler(settings, client, alice):
    settings.DJWTO_CLAIMS_HANDLER = 'tests.handlers.claims_with_client_address'
    assert client.authenticate(alice).refresh_claims['client_ip'] == '127.0.0.1'


# JWTClient


def test_authenticated_client_reads_its_own_resolvers(client, alice):
    client.authenticate(alice)
    result = me(client)
    assert result.status_code == 200
    assert result.data == {'me': 'alice'}


def test_the_csrf_check_is_enforced_and_passed(cookie_mode, alice):
    client = JWTClient()
    client.authenticate(alice)
    refused = client.execute(ME, headers={'X-CSRFToken': 'x' * 32})
    assert refused.status_code == 403
    assert refused.errors[0]['message'].startswith('CSRF Failed: CSRF token ')
    assert me(client).data == {'me': 'alice'}  # with the header from the cookie


def test_authenticate_sets_the_modes_cookies(cookie_mode, alice):
    client = JWTClient()
    client.authenticate(alice)
    assert client.cookies['jwt_refresh']['path'] == '/api/token/refresh'
    assert client.cookies['jwt_refresh']['httponly']
    access = 'jwt_access' if cookie_mode == 'ONE-COOKIE' else 'jwt_access_token'
    assert client.cookies[access].value
    assert client.access_token is None and client.refresh_token is None


def test_login_through_the_view_keeps_the_tokens(client, alice):
    login = client.execute(LOGIN, {'username': 'alice', 'password': 'pass'}, operation_name='Login')
    assert login.data['tokenAuth']['msg'] == 'Tokens successfully created.'
    assert me(client).data == {'me': 'alice'}


def test_refresh_brings_back_an_expired_access_token(client, alice, clock):
    client.authenticate(alice)
    clock.tick(ACCESS_LIFETIME + 1)
    assert me(client).errors[0]['message'] == 'Signature has expired'
    refreshed = client.refresh()
    assert refreshed.data['refreshAccess']['msg'] == 'Access token successfully refreshed.'
    assert me(client).data == {'me': 'alice'}


def test_refresh_cookie_is_sent_only_under_its_path(cookie_mode, alice):
    client = JWTClient()
    client.authenticate(alice)
    off_path = client.execute(REVOKE)
    assert off_path.errors[0]['message'] == (
        'Refresh cookie is only sent in path "/api/token/refresh". Requested path was: /graphql/.'
    )
    assert client.cookies['jwt_refresh'].value  # withheld, not lost
    assert client.execute(REVOKE, refresh=True).data == {'revoke': {'msg': 'Token successfully blacklisted.'}}
    assert JWTBlacklist.objects.count() == 1


def test_update_refresh_keeps_the_new_refresh_token(client, alice, clock):
    first = client.authenticate(alice)
    clock.tick(10)
    updated = client.execute('mutation { updateRefresh { msg access refresh } }', refresh=True)
    assert updated.data['updateRefresh']['msg'] == 'Refresh token successfully updated.'
    verified = client.execute('mutation { verify(jwtType: REFRESH) { claims } }', refresh=True)
    assert verified.data['verify']['claims']['exp'] == first.refresh_claims['exp'] + 10


def test_logout_forgets_the_tokens(client, mode, alice):
    client.authenticate(alice)
    client.logout()
    assert me(client).errors[0]['message'] == NO_ACCESS_TOKEN[mode]


def test_delete_cookies_through_the_view_empties_the_cookie_jar(cookie_mode, alice):
    client = JWTClient()
    client.authenticate(alice)
    assert client.execute('mutation { deleteCookies { msg } }').data == {
        'deleteCookies': {'msg': 'Tokens successfully deleted.'}
    }
    assert {'jwt_refresh', 'jwt_access', 'jwt_access_token', 'jwt_access_payload'}.isdisjoint(client.cookies)
    assert me(client).errors[0]['message'] == NO_ACCESS_TOKEN[cookie_mode]


def test_other_paths_serve_another_schema(mode, alice):
    client = JWTClient(path='/project/graphql/', refresh_path='/api/token/refresh/project/graphql/')
    client.authenticate(alice)
    assert me(client).data == {'me': 'alice'}
    assert client.refresh().data['refreshAccess']['msg'] == 'Access token successfully refreshed.'
    added = client.execute('mutation { addGroup(input: {name: "g"}) { errors { field } } }')
    assert added.data == {'addGroup': {'errors': []}}


@pytest.mark.parametrize(
    'path, sent',
    [
        ('/api/token/refresh/graphql/', True),
        ('/api/token/refresh', True),
        ('/api/token/refreshed/', False),
        ('/api/token/', False),
        ('/graphql/', False),
    ],
)
def test_refresh_cookie_reaches_the_paths_a_browser_sends_it_to(cookie_mode, alice, path, sent):
    client = JWTClient()
    client.authenticate(alice)
    request = client.get(path).wsgi_request
    assert ('jwt_refresh' in request.COOKIES) is sent
    assert 'csrftoken' in request.COOKIES  # Path=/ reaches every path


def test_a_social_login_view_issues_tokens_the_client_then_uses(settings, mode, alice, recorder):
    settings.ROOT_URLCONF = 'tests.social_urls'
    client = JWTClient()
    response = client.get('/social/callback/', {'username': 'alice'})
    assert response.status_code == 200
    assert recorder.names() == ['jwt_logged_in']
    assert recorder.events[0][2]['request'].path == '/social/callback/'
    if mode == 'JSON':
        client.access_token = response.json()['access']
    else:
        assert response.cookies['jwt_refresh']['path'] == '/api/token/refresh'
        assert response.cookies['csrftoken'].value  # rotated, as at tokenAuth
    assert me(client).data == {'me': 'alice'}
