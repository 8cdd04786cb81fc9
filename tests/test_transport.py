"""Where tokens are read from: the bearer header and the path-bound refresh cookie."""

import pytest

from .conftest import GRAPHQL, REFRESH_ACCESS, REFRESH_GRAPHQL, REVOKE, UPDATE_REFRESH, VERIFY, VERIFY_REFRESH

REFRESH_OPERATIONS = [REFRESH_ACCESS, UPDATE_REFRESH, REVOKE, VERIFY_REFRESH]


@pytest.fixture
def json_api(settings, alice):
    from .conftest import browser_like

    settings.DJWTO_MODE = 'JSON'
    api = browser_like('JSON')
    api.login()
    return api


@pytest.mark.parametrize(
    'header',
    [
        'Token {token}',
        'bearer {token}',
        'Bearer',
        'Bearer ',
        'Bearer  {token}',
        'Bearer {token} {token}',
        '{token}',
        'Basic YWxpY2U6cGFzcw==',
    ],
)
def test_malformed_authorization_header_is_refused(json_api, header):
    result = json_api.post(VERIFY, HTTP_AUTHORIZATION=header.format(token=json_api.access))
    assert result.error['message'] == 'Value in HTTP_AUTHORIZATION header is not valid.'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_MALFORMED'}


def test_missing_authorization_header_is_refused(json_api):
    result = json_api.post(VERIFY)
    assert result.error['message'] == 'Token not found in "HTTP_AUTHORIZATION" header.'


@pytest.mark.parametrize(
    'token, message, reason',
    [
        ('not-a-jwt', 'Not enough segments', 'TOKEN_MALFORMED'),
        ('a.b.c', 'Invalid header padding', 'TOKEN_MALFORMED'),
        ('eyJhbGciOiJIUzI1NiJ9.e30.', 'Signature verification failed', 'TOKEN_INVALID'),
    ],
)
def test_garbage_bearer_token_is_refused_with_pyjwts_message(json_api, token, message, reason):
    result = json_api.post(VERIFY, bearer=token)
    assert result.status == 200
    assert result.error['message'] == message
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': reason}


def test_json_mode_serves_refresh_operations_at_both_urls(json_api):
    for path in (GRAPHQL, REFRESH_GRAPHQL):
        result = json_api.post(REFRESH_ACCESS, path=path, bearer=json_api.refresh)
        assert result.field('refreshAccess')['msg'] == 'Access token successfully refreshed.'


@pytest.mark.parametrize('query', REFRESH_OPERATIONS)
def test_refresh_cookie_is_not_sent_off_its_path(cookie_api, query):
    cookie_api.login()
    result = cookie_api.post(query, path=GRAPHQL)
    assert result.error['message'] == (
        'Refresh cookie is only sent in path "/api/token/refresh". Requested path was: /graphql/.'
    )
    assert result.error['extensions']['status'] == 403


@pytest.mark.parametrize('query', REFRESH_OPERATIONS)
def test_refresh_token_off_its_path_is_refused_even_if_sent(cookie_api, query):
    cookie_api.login()
    refresh = cookie_api.token('refresh')
    result = cookie_api.post(query, path=GRAPHQL, HTTP_COOKIE=_cookie_header(cookie_api, jwt_refresh=refresh))
    assert result.error['message'] == 'Refresh token is only sent in path: api/token/refresh'


@pytest.mark.parametrize('query', REFRESH_OPERATIONS)
def test_missing_refresh_cookie_on_its_path(cookie_api, query):
    cookie_api.login()
    del cookie_api.client.cookies['jwt_refresh']
    result = cookie_api.with_refresh(query)
    assert result.error['message'] == 'Cookie "jwt_refresh" cannot be empty.'


def _cookie_header(api, **overrides):
    cookies = {name: morsel.value for name, morsel in api.client.cookies.items()}
    cookies.update(overrides)
    return '; '.join(f'{name}={value}' for name, value in cookies.items())
