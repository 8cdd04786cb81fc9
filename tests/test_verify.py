"""verify (djwto's ValidateTokensView) and deleteCookies (its DELETE verb)."""

from gql_djwto.tokens import decode

from .conftest import DELETE_COOKIES, REFRESH_GRAPHQL, TOKEN_COOKIES, VERIFY, VERIFY_REFRESH, browser_like


def test_verify_returns_the_access_claims(logged_in):
    answer = logged_in.with_access(VERIFY).field('verify')
    assert answer == {'msg': 'Token is valid', 'claims': decode(logged_in.token('access'))}


def test_verify_refresh_returns_the_refresh_claims(logged_in):
    answer = logged_in.with_refresh(VERIFY_REFRESH).field('verify')
    assert answer['claims']['type'] == 'refresh'
    assert answer['claims'] == decode(logged_in.token('refresh'))


def test_verify_access_refuses_a_refresh_token(logged_in):
    logged_in.set_token('access', logged_in.token('refresh'))
    result = logged_in.with_access(VERIFY)
    expected = {
        'JSON': 'Access token was not sent in authorization header.',
        'ONE-COOKIE': 'Cookie "jwt_access" does not hold the access token.',
        'TWO-COOKIES': 'Cookie "jwt_access_token" does not hold the access token.',
    }[logged_in.mode]
    assert result.error['message'] == expected
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'WRONG_TOKEN_TYPE'}


def test_verify_refresh_refuses_an_access_token(logged_in):
    logged_in.set_token('refresh', logged_in.token('access'))
    assert logged_in.with_refresh(VERIFY_REFRESH).error['extensions']['status'] == 403


def test_verify_without_any_token_is_refused(api):
    result = api.with_access(VERIFY)
    expected = {
        'JSON': 'Token not found in "HTTP_AUTHORIZATION" header.',
        'ONE-COOKIE': 'Cookie "jwt_access" cannot be empty.',
        'TWO-COOKIES': 'Cookie "jwt_access_token" cannot be empty.',
    }[api.mode]
    assert result.error['message'] == expected
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_MISSING'}


def test_expired_access_token_fails_verify(clock, logged_in):
    clock.tick(301)
    assert logged_in.with_access(VERIFY).error['message'] == 'Signature has expired'


def test_delete_cookies_in_json_mode_has_nothing_to_delete(settings, alice):
    settings.DJWTO_MODE = 'JSON'
    api = browser_like('JSON')
    api.login()
    result = api.with_access(DELETE_COOKIES)
    assert result.field('deleteCookies') == {'msg': 'No token to delete.'}
    assert not TOKEN_COOKIES & set(result.response.cookies)


def test_delete_cookies_expires_every_token_cookie(cookie_api, settings):
    settings.DJWTO_DOMAIN = 'example.com'
    settings.DJWTO_SAME_SITE = 'Strict'
    cookie_api.login()
    result = cookie_api.with_access(DELETE_COOKIES)
    assert result.field('deleteCookies') == {'msg': 'Tokens successfully deleted.'}
    names = ['jwt_refresh'] + (
        ['jwt_access'] if cookie_api.mode == 'ONE-COOKIE' else ['jwt_access_payload', 'jwt_access_token']
    )
    assert sorted(set(result.response.cookies) - {'csrftoken'}) == sorted(names)
    for name in names:
        cookie = result.cookie(name)
        assert cookie.value == ''
        assert cookie['max-age'] == 0
        assert cookie['domain'] == 'example.com'
        assert cookie['samesite'] == 'Strict'
        assert cookie['path'] == ('/api/token/refresh' if name == 'jwt_refresh' else '/')


def test_delete_cookies_needs_a_good_access_token(cookie_api):
    result = cookie_api.with_access(DELETE_COOKIES)
    assert result.error['extensions']['status'] == 403
    assert not result.response.cookies.get('jwt_refresh')


def test_logout_revokes_and_deletes_in_one_document(cookie_api):
    cookie_api.login()
    result = cookie_api.post(
        'mutation { revoke { msg } deleteCookies { msg } }',
        path=REFRESH_GRAPHQL,
    )
    assert result.data == {
        'revoke': {'msg': 'Token successfully blacklisted.'},
        'deleteCookies': {'msg': 'Tokens successfully deleted.'},
    }
    assert result.cookie('jwt_refresh').value == ''
