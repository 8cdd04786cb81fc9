"""Cookies in ONE-COOKIE and TWO-COOKIES modes: djwto's names and attributes."""

import base64
import json
import logging
from datetime import timedelta

from gql_djwto.tokens import decode

from .conftest import ACCESS_COOKIE, VERIFY


def _attributes(cookie):
    return {
        'path': cookie['path'],
        'httponly': bool(cookie['httponly']),
        'secure': bool(cookie['secure']),
        'samesite': cookie['samesite'],
        'domain': cookie['domain'],
        'max-age': cookie['max-age'],
    }


def test_refresh_cookie_attributes(cookie_api):
    cookie = cookie_api.login().cookie('jwt_refresh')
    assert _attributes(cookie) == {
        'path': '/api/token/refresh',
        'httponly': True,
        'secure': True,
        'samesite': 'Lax',
        'domain': '',
        'max-age': 86400,
    }


def test_access_cookie_attributes(cookie_api):
    cookie = cookie_api.login().cookie(ACCESS_COOKIE[cookie_api.mode])
    assert _attributes(cookie) == {
        'path': '/',
        'httponly': True,
        'secure': True,
        'samesite': 'Lax',
        'domain': '',
        'max-age': 300,
    }


def test_one_cookie_mode_sets_exactly_two_token_cookies(db, alice, settings):
    from .conftest import browser_like

    settings.DJWTO_MODE = 'ONE-COOKIE'
    cookies = set(browser_like('ONE-COOKIE').login().response.cookies) - {'csrftoken'}
    assert cookies == {'jwt_refresh', 'jwt_access'}


def test_two_cookies_mode_splits_the_access_token(db, alice, settings):
    from .conftest import browser_like

    settings.DJWTO_MODE = 'TWO-COOKIES'
    result = browser_like('TWO-COOKIES').login()
    assert set(result.response.cookies) - {'csrftoken'} == {
        'jwt_refresh',
        'jwt_access_payload',
        'jwt_access_token',
    }
    payload_cookie = result.cookie('jwt_access_payload')
    assert not payload_cookie['httponly']
    assert payload_cookie['secure'] and payload_cookie['max-age'] == 300
    claims = decode(result.cookie('jwt_access_token').value)
    raw = base64.b64decode(payload_cookie.value.strip('"'))
    assert raw.decode() == json.dumps(claims, sort_keys=True)


def test_cookie_settings_are_honoured(cookie_api, settings):
    settings.DJWTO_DOMAIN = 'example.com'
    settings.DJWTO_SAME_SITE = 'Strict'
    settings.DJWTO_COOKIE_SECURE = False
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = timedelta(hours=2)
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = timedelta(minutes=1)
    result = cookie_api.login()
    refresh, access = result.cookie('jwt_refresh'), result.cookie(ACCESS_COOKIE[cookie_api.mode])
    assert _attributes(refresh) == {
        'path': '/api/token/refresh',
        'httponly': True,
        'secure': False,
        'samesite': 'Strict',
        'domain': 'example.com',
        'max-age': 7200,
    }
    assert access['max-age'] == 60 and access['domain'] == 'example.com'


def test_refresh_cookie_path_follows_the_setting(cookie_api, settings):
    settings.DJWTO_REFRESH_COOKIE_PATH = 'auth/refresh'
    assert cookie_api.login().cookie('jwt_refresh')['path'] == '/auth/refresh'


def test_tokens_without_lifetime_make_session_cookies(cookie_api, settings):
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = None
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = None
    result = cookie_api.login()
    assert result.cookie('jwt_refresh')['max-age'] == ''
    assert result.cookie(ACCESS_COOKIE[cookie_api.mode])['max-age'] == ''
    assert 'exp' not in decode(cookie_api.token('access'))


def test_a_cookie_over_4096_bytes_is_warned_about(cookie_api, settings, caplog):
    settings.DJWTO_PERMS_HANDLER = 'tests.test_cookies.many_perms'
    with caplog.at_level(logging.WARNING, logger='gql_djwto'):
        cookie_api.login().field('tokenAuth')
    warnings = [r.getMessage() for r in caplog.records if r.name == 'gql_djwto']
    assert any('browsers drop cookies over 4096 bytes' in message for message in warnings)
    assert not any('eyJ' in message for message in warnings), 'the token itself is never logged'


def test_normal_cookies_are_not_warned_about(cookie_api, caplog):
    with caplog.at_level(logging.WARNING, logger='gql_djwto'):
        cookie_api.login().field('tokenAuth')
    assert not [r for r in caplog.records if r.name == 'gql_djwto']


def test_cookies_authenticate_later_requests_without_a_header(cookie_api):
    cookie_api.login()
    assert cookie_api.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'


def many_perms(user):
    return [f'app_{index}.permission_with_a_long_name_{index}' for index in range(150)]
