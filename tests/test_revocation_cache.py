"""DJWTO_REVOCATION_CACHE: revoking a session reaches its access tokens at once."""

from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import caches

from gql_djwto import revocation
from gql_djwto.tokens import decode

from .conftest import DELETE_COOKIES, ME, REFRESH_GRAPHQL, REVOKE, VERIFY, VERIFY_REFRESH, browser_like
from .revocation_cache import ALIAS, REDIS_URL

REVOKED = {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_REVOKED'}


def assert_revoked(result, field: str = 'verify') -> None:
    assert result.error['message'] == 'Token has been revoked.', result.body
    assert result.error['extensions'] == REVOKED
    assert result.data in (None, {field: None})


def test_revoke_refuses_the_sessions_access_token_at_once(logged_in, revocation_cache):
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'  # remembered now
    logged_in.with_refresh(REVOKE).field('revoke')
    assert_revoked(logged_in.with_access(VERIFY))
    assert_revoked(logged_in.with_access(ME), 'me')


def test_without_the_cache_the_access_token_lives_on_as_in_djwto(logged_in):
    logged_in.with_refresh(REVOKE).field('revoke')
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'


def test_another_session_of_the_user_is_untouched(logged_in, revocation_cache):
    second = browser_like(logged_in.mode)
    second.login()
    logged_in.with_refresh(REVOKE).field('revoke')
    assert second.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'


def test_request_user_of_a_revoked_session_is_anonymous(logged_in, revocation_cache, settings):
    settings.DJWTO_REQUEST_USER = 'token'
    assert logged_in.with_access('{ requestUser }').field('requestUser')['authenticated'] is True
    logged_in.with_refresh(REVOKE).field('revoke')
    assert logged_in.with_access('{ requestUser }').field('requestUser')['authenticated'] is False


def test_a_revoke_in_the_document_reaches_a_later_field(cookie_api, revocation_cache):
    cookie_api.login()
    result = cookie_api.post(
        'mutation { verify { msg } revoke { msg } second: verify { msg } }', path=REFRESH_GRAPHQL
    )
    assert result.data['verify'] == {'msg': 'Token is valid'}
    assert result.data['revoke'] == {'msg': 'Token successfully blacklisted.'}
    assert result.data['second'] is None
    assert result.errors[0]['extensions'] == REVOKED


def test_delete_cookies_still_works_for_a_revoked_session(cookie_api, revocation_cache):
    cookie_api.login()
    cookie_api.with_refresh(REVOKE).field('revoke')
    assert cookie_api.with_access(DELETE_COOKIES).field('deleteCookies') == {
        'msg': 'Tokens successfully deleted.'
    }


def test_verify_refresh_refuses_a_revoked_refresh_token_with_the_cache(logged_in, revocation_cache):
    logged_in.with_refresh(REVOKE).field('revoke')
    assert_revoked(logged_in.with_refresh(VERIFY_REFRESH))


def test_verify_refresh_does_not_look_without_the_cache_as_in_djwto(logged_in):
    logged_in.with_refresh(REVOKE).field('revoke')
    assert logged_in.with_refresh(VERIFY_REFRESH).field('verify')['msg'] == 'Token is valid'


def test_verify_makes_no_query_and_asks_the_cache_once_per_request(
    logged_in, revocation_cache, django_assert_num_queries, monkeypatch
):
    calls = []
    original = redis.Redis.execute_command

    def counted(client, *args, **kwargs):
        calls.append(args[0])
        return original(client, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, 'execute_command', counted)
    with django_assert_num_queries(0):
        result = logged_in.with_access('mutation { verify { msg } again: verify { msg } me: verify { msg } }')
    assert result.data['again'] == {'msg': 'Token is valid'}
    assert calls == ['MGET']


def test_entries_live_as_long_as_an_access_token_can(logged_in, revocation_cache):
    jti = decode(logged_in.token('refresh'))['jti']
    logged_in.with_refresh(REVOKE).field('revoke')
    key = caches[ALIAS].make_and_validate_key(revocation.jti_key(jti))
    ttl = redis.Redis.from_url(REDIS_URL).ttl(key)
    expected = 5 * 60 + revocation.CLOCK_MARGIN  # the default access lifetime, and the margin
    assert expected - 5 <= ttl <= expected


def test_without_an_access_lifetime_entries_live_the_refresh_lifetime(settings):
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = None
    assert revocation.entry_lifetime() == 24 * 3600 + revocation.CLOCK_MARGIN
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = None
    assert revocation.entry_lifetime() is None


def test_a_cache_that_is_down_refuses_access_tokens_and_says_why(logged_in, broken_revocation_cache, caplog):
    token = logged_in.token('access')
    with caplog.at_level(logging.ERROR, logger='gql_djwto'):
        result = logged_in.with_access(VERIFY)
    assert result.error['message'] == 'Failed to process request.'
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'NOT_PROCESSED',
    }
    assert "Revocation cache 'revocation' failed while checking an access token" in caplog.text
    assert 'refused' in caplog.text
    assert token not in caplog.text


def test_fail_open_accepts_access_tokens_while_the_cache_is_down(
    logged_in, broken_revocation_cache, caplog, settings
):
    settings.DJWTO_REVOCATION_FAIL_OPEN = True
    token = logged_in.token('access')
    with caplog.at_level(logging.ERROR, logger='gql_djwto'):
        assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    assert 'accepted (DJWTO_REVOCATION_FAIL_OPEN)' in caplog.text
    assert token not in caplog.text


def test_revoke_while_the_cache_is_down_still_blacklists_and_logs(logged_in, broken_revocation_cache, caplog):
    with caplog.at_level(logging.ERROR, logger='gql_djwto'):
        assert logged_in.with_refresh(REVOKE).field('revoke') == {'msg': 'Token successfully blacklisted.'}
    assert 'failed while recording a revoked session' in caplog.text
    assert logged_in.token('refresh') not in caplog.text


@pytest.mark.parametrize(
    'setting, value, check_id',
    [
        ('DJWTO_REVOCATION_CACHE', 'no-such-cache', 'gql_djwto.E060'),
        ('DJWTO_REVOCATION_FAIL_OPEN', 'yes', 'gql_djwto.E061'),
        ('DJWTO_REVOKE_ALL', 1, 'gql_djwto.E062'),
    ],
)
def test_bad_settings_are_system_check_errors(settings, setting, value, check_id):
    from gql_djwto.checks import check_settings

    setattr(settings, setting, value)
    assert [message.id for message in check_settings()] == [check_id]


def test_a_per_process_revocation_cache_is_warned_about(settings):
    from gql_djwto.checks import check_revocation

    settings.CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
    settings.DJWTO_REVOCATION_CACHE = 'default'
    assert [message.id for message in check_revocation()] == ['gql_djwto.W010']


def test_redis_passes_the_revocation_check(settings):
    from gql_djwto.checks import check_revocation

    settings.CACHES = {
        'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': REDIS_URL}
    }
    settings.DJWTO_REVOCATION_CACHE = 'default'
    assert check_revocation() == []


def test_without_jti_or_iat_the_features_are_warned_about(settings):
    from gql_djwto.checks import check_revocation

    settings.CACHES = {
        'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': REDIS_URL}
    }
    settings.DJWTO_REVOCATION_CACHE = 'default'
    settings.DJWTO_JTI_CLAIM = False
    settings.DJWTO_IAT_CLAIM = False
    settings.DJWTO_REVOKE_ALL = True
    assert sorted(message.id for message in check_revocation()) == ['gql_djwto.W011', 'gql_djwto.W012']
