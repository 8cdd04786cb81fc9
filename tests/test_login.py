"""tokenAuth: djwto's GetTokensView as a mutation."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from gql_djwto.tokens import decode

from .conftest import LOGIN, TOKEN_COOKIES, Api

BAD_CREDENTIALS = json.dumps(
    {
        '__all__': [
            'Please enter a correct username and password. Note that both fields may be case-sensitive.'
        ]
    }
)


def test_login_issues_tokens_in_the_body_only_in_json_mode(api):
    answer = api.login().field('tokenAuth')
    assert answer['msg'] == 'Tokens successfully created.'
    if api.mode == 'JSON':
        assert decode(answer['access'])['type'] == 'access'
        assert decode(answer['refresh'])['type'] == 'refresh'
    else:
        assert answer['access'] is None and answer['refresh'] is None
        assert decode(api.token('access'))['user']['username'] == 'alice'
        assert decode(api.token('refresh'))['type'] == 'refresh'


def test_wrong_password_is_refused_with_the_form_errors_as_json(api, recorder):
    result = api.login(password='wrong')
    assert result.data == {'tokenAuth': None}
    assert result.error['message'] == BAD_CREDENTIALS
    assert result.error['extensions'] == {
        'code': 'UNAUTHENTICATED',
        'status': 401,
        'reason': 'BAD_CREDENTIALS',
    }
    assert api.access is None
    assert 'jwt_refresh' not in result.response.cookies
    assert recorder.names() == ['jwt_login_fail']


def test_empty_username_reports_the_required_field(api):
    result = api.login(username='', password='')
    assert json.loads(result.error['message']) == {
        'username': ['This field is required.'],
        'password': ['This field is required.'],
    }


def test_inactive_user_cannot_log_in(api, alice):
    alice.is_active = False
    alice.save()
    assert api.login().error['message'] == BAD_CREDENTIALS


def test_login_with_a_good_access_token_says_already_authenticated(logged_in, recorder):
    before = logged_in.token('access')
    result = logged_in.login(bearer=logged_in.access if logged_in.mode == 'JSON' else None)
    assert result.field('tokenAuth') == {
        'msg': 'User already authenticated.',
        'access': None,
        'refresh': None,
    }
    assert not TOKEN_COOKIES & set(result.response.cookies)
    assert logged_in.token('access') == before
    assert recorder.events == []


def test_login_with_an_expired_access_token_logs_in_again(clock, logged_in):
    clock.tick(600)
    result = logged_in.login(bearer=logged_in.access if logged_in.mode == 'JSON' else None)
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_login_goes_through_the_authentication_backends_with_the_request(api, settings, bob):
    settings.AUTHENTICATION_BACKENDS = ['tests.backends.EmailBackend']
    result = api.login(username='bob@example.com', password='pass')
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'
    from .backends import EmailBackend

    assert EmailBackend.last_request_path == '/graphql/'
    assert decode(api.token('access'))['user']['username'] == 'bob'


@pytest.mark.parametrize('content_type', ['application/json', 'application/x-www-form-urlencoded'])
def test_login_accepts_json_and_form_bodies(alice, content_type):
    payload = {'query': LOGIN, 'variables': json.dumps({'username': 'alice', 'password': 'pass'})}
    if content_type == 'application/json':
        body = json.dumps({'query': LOGIN, 'variables': {'username': 'alice', 'password': 'pass'}})
    else:
        body = urlencode(payload)
    response = Client().post('/graphql/', body, content_type=content_type)
    assert response.status_code == 200
    assert response.json()['data']['tokenAuth']['msg'] == 'Tokens successfully created.'


def test_login_carries_the_users_permissions(db, bob, mode):
    api = Api(Client(), mode)
    api.login('bob')
    assert decode(api.token('access'))['user'] == {
        'username': 'bob',
        'id': bob.pk,
        'perms': ['auth.view_user'],
    }
