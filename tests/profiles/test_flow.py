"""The whole token flow over real HTTP, in every mode, under the profile's settings."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command

from gql_djwto.models import JWTBlacklist

ME = '{ me }'
VERIFY = 'mutation { verify { msg claims } }'
VERIFY_REFRESH = 'mutation { verify(jwtType: REFRESH) { msg claims } }'
REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'
UPDATE_REFRESH = 'mutation { updateRefresh { msg access refresh } }'
REVOKE = 'mutation { revoke { msg } }'
DELETE_COOKIES = 'mutation { deleteCookies { msg } }'
TOKEN_COOKIES = {'jwt_refresh', 'jwt_access', 'jwt_access_payload', 'jwt_access_token'}


def purge_expired_tokens() -> None:
    call_command('delete_tokens', stdout=io.StringIO())


def test_whole_flow_login_query_verify_refresh_update_revoke_delete(browser, user):
    name = user.get_username()
    username_field = get_user_model().USERNAME_FIELD

    assert browser.login(name).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert browser.with_access(ME).field('me') == name

    verified = browser.with_access(VERIFY).field('verify')
    assert verified['msg'] == 'Token is valid'
    assert verified['claims']['type'] == 'access'
    assert verified['claims']['user'][username_field] == name
    assert browser.with_refresh(VERIFY_REFRESH).field('verify')['claims']['type'] == 'refresh'

    refreshed = browser.with_refresh(REFRESH_ACCESS)
    assert refreshed.field('refreshAccess')['msg'] == 'Access token successfully refreshed.'
    browser.keep_tokens(refreshed, 'refreshAccess')
    assert browser.with_access(ME).field('me') == name

    updated = browser.with_refresh(UPDATE_REFRESH)
    assert updated.field('updateRefresh')['msg'] == 'Refresh token successfully updated.'
    browser.keep_tokens(updated, 'updateRefresh')
    assert browser.with_access(ME).field('me') == name

    assert browser.with_refresh(REVOKE).field('revoke')['msg'] == 'Token successfully blacklisted.'
    purge_expired_tokens()
    refused = browser.with_refresh(REFRESH_ACCESS)
    assert refused.error_message() == "Can't update access token.", refused.body

    deleted = browser.with_access(DELETE_COOKIES).field('deleteCookies')['msg']
    if browser.mode == 'JSON':
        assert deleted == 'No token to delete.'
    else:
        assert deleted == 'Tokens successfully deleted.'
        assert not TOKEN_COOKIES & set(browser.session.cookies.keys())
        access_cookie = 'jwt_access' if browser.mode == 'ONE-COOKIE' else 'jwt_access_token'
        assert browser.with_access(ME).error_message() == f'Cookie "{access_cookie}" cannot be empty.'


def test_revoked_token_still_refused_after_delete_tokens(browser, user, settings):
    # A refresh token that lives two hours: shorter than some zones' offset from UTC.
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = timedelta(hours=2)
    assert browser.login(user.get_username()).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert browser.with_refresh(REVOKE).field('revoke')['msg'] == 'Token successfully blacklisted.'

    purge_expired_tokens()

    assert JWTBlacklist.objects.count() == 1, 'delete_tokens deleted the row of a live token'
    refused = browser.with_refresh(REFRESH_ACCESS)
    assert refused.error_message() == "Can't update access token.", refused.body
    refused = browser.with_refresh(UPDATE_REFRESH)
    assert refused.error_message() == "Can't update refresh token.", refused.body
