"""Claims a key holder got wrong weaken nothing (issue 8, point 10).

A project's claims handler, another service sharing the key, or an old djwto
token may carry well-signed claims of the wrong shape. Such a token is
refused whole, with a clear 403, as it is decoded: never a 500, never a
permission granted by accident. The corpus in tests/hostile_tokens.py sends
each shape to every operation; here are the public surfaces it does not
reach: plain views, the login that would sign such claims, the blacklist.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from django.conf import settings as django_settings

from gql_djwto.claims import access_claims_from_refresh, build_refresh_claims
from gql_djwto.models import LAST_EXPIRY, JWTBlacklist, expiry_from_epoch

from .conftest import REFRESH_ACCESS, REVOKE

PERMS_NOT_VALID = 'The "perms" of the "user" claim must be a list of strings.'


def signed_by_a_key_holder(claims) -> str:
    """Sign ``claims`` as another service holding the key would: as they are."""
    return jwt.encode(claims, django_settings.DJWTO_SIGNING_KEY, algorithm='HS256')


def access_token_with(holder, **changes) -> str:
    claims = access_claims_from_refresh(build_refresh_claims(holder))
    user_claim = dict(claims['user'])
    user_claim.update(changes.pop('user', {}))
    return signed_by_a_key_holder({**claims, 'user': user_claim, **changes})


def get_view(client, path, token):
    response = client.get(path, HTTP_AUTHORIZATION=f'Bearer {token}')
    return response.status_code, response.json()


@pytest.mark.parametrize(
    'perms',
    [5, 'xauth.view_userx', None, {'auth.view_user': 1}, [['auth.view_user']]],
    ids=['a-number', 'a-string-holding-the-perm', 'null', 'an-object', 'nested'],
)
@pytest.mark.parametrize('path', ['/viewers/', '/whoami/'])
def test_a_plain_view_refuses_perms_that_are_not_a_list_of_strings(client, alice, settings, perms, path):
    settings.DJWTO_MODE = 'JSON'
    token = access_token_with(alice, user={'perms': perms})
    assert get_view(client, path, token) == (403, {'error': PERMS_NOT_VALID, 'reason': 'TOKEN_INVALID'})


def test_perms_as_a_string_never_grant_by_substring(client, alice, settings):
    settings.DJWTO_MODE = 'JSON'
    token = access_token_with(alice, user={'perms': 'auth.view_user, auth.change_user'})
    status, _ = get_view(client, '/viewers/', token)
    assert status == 403


def test_a_list_of_strings_still_grants(client, alice, settings):
    settings.DJWTO_MODE = 'JSON'
    token = access_token_with(alice, user={'perms': ['auth.view_user']})
    assert get_view(client, '/viewers/', token) == (200, {'ok': True})


@pytest.mark.parametrize('exp', ['9999999999', True, '1e10'], ids=['numeric-string', 'bool', 'float-string'])
def test_a_plain_view_refuses_an_exp_that_is_not_a_number(client, alice, settings, exp):
    settings.DJWTO_MODE = 'JSON'
    token = access_token_with(alice, exp=exp)
    status, body = get_view(client, '/whoami/', token)
    assert status == 403
    assert body['error'] in (
        'The "exp" claim must be a number.',  # ours
        'Signature has expired',  # PyJWT reads True as 1
        'Expiration Time claim (exp) must be an integer.',  # PyJWT cannot read '1e10'
    )


def test_a_float_exp_is_a_number(client, alice, settings):
    settings.DJWTO_MODE = 'JSON'
    token = access_token_with(alice, exp=datetime.now(timezone.utc).timestamp() + 60.5)
    assert get_view(client, '/whoami/', token) == (200, {'username': 'alice'})


def test_revoke_refuses_a_string_exp_from_a_key_holder_with_a_403(api, alice):
    claims = build_refresh_claims(alice)
    claims['exp'] = str(claims['exp'])
    api.set_token('refresh', signed_by_a_key_holder(claims))
    result = api.with_refresh(REVOKE)
    assert result.status == 200
    assert result.error['message'] == 'The "exp" claim must be a number.'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_INVALID'}
    assert not JWTBlacklist.objects.exists()


def claims_with_a_string_exp(user, request=None):
    claims = build_refresh_claims(user, request)
    claims['exp'] = str(claims['exp'])
    return claims


def claims_with_an_empty_jti(user, request=None):
    return {**build_refresh_claims(user, request), 'jti': ''}


def perms_as_a_string(user):
    return 'auth.view_user'


@pytest.mark.parametrize(
    'setting, handler',
    [
        ('DJWTO_CLAIMS_HANDLER', claims_with_a_string_exp),
        ('DJWTO_CLAIMS_HANDLER', claims_with_an_empty_jti),
        ('DJWTO_PERMS_HANDLER', perms_as_a_string),
    ],
)
def test_login_signs_no_claims_that_decoding_would_refuse(api, settings, recorder, caplog, setting, handler):
    """A project's handler that gets a claim wrong is a settings error, logged, not a token."""
    setattr(settings, setting, handler)
    result = api.login()
    assert result.error['message'] == 'Failed to process request.'
    assert result.data == {'tokenAuth': None}
    assert recorder.names() == ['jwt_login_fail']
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and 'will not sign claims that it would refuse to read' in logged[0]
    assert not api.client.cookies.get('jwt_refresh')


def test_a_token_from_before_the_check_is_refused_to_refresh_too(api, alice):
    claims = build_refresh_claims(alice)
    claims['user'] = {**claims['user'], 'perms': 5}
    api.set_token('refresh', signed_by_a_key_holder(claims))
    assert api.with_refresh(REFRESH_ACCESS).error['message'] == PERMS_NOT_VALID


@pytest.mark.parametrize('exp', ['1700000000', True, math.inf, math.nan, 10**400, -(10**400), None, [1]])
def test_an_unreadable_expiry_keeps_the_blacklist_row_for_good(exp):
    assert expiry_from_epoch(exp) == LAST_EXPIRY


def test_a_readable_expiry_is_stored_as_utc():
    assert expiry_from_epoch(86400.5) == datetime(1970, 1, 2, tzinfo=timezone.utc) + timedelta(seconds=0.5)
