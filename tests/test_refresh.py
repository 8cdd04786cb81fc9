"""refreshAccess and updateRefresh: djwto's RefreshAccessView and UpdateRefreshView."""

import pytest
from django.contrib.auth.models import User

from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode

from .conftest import ACCESS_COOKIE, REFRESH_ACCESS, UPDATE_REFRESH

REFRESHERS = [REFRESH_ACCESS, UPDATE_REFRESH]


def test_refresh_access_issues_a_new_access_token_with_the_same_jti(logged_in, clock):
    old_refresh = decode(logged_in.token('refresh'))
    clock.tick(60)
    answer = logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    assert answer['msg'] == 'Access token successfully refreshed.'
    if logged_in.mode == 'JSON':
        logged_in.access = answer['access']
        assert decode(answer['refresh']) == old_refresh
    else:
        assert answer['access'] is None and answer['refresh'] is None
    access = decode(logged_in.token('access'))
    assert access['jti'] == old_refresh['jti']
    assert access['iat'] == old_refresh['iat'] + 60
    assert access['refresh_iat'] == old_refresh['iat']
    assert access['exp'] == access['iat'] + 300


def test_refresh_access_sets_both_cookies_again_in_cookie_modes(cookie_api):
    cookie_api.login()
    result = cookie_api.with_refresh(REFRESH_ACCESS)
    assert result.cookie('jwt_refresh').value == cookie_api.token('refresh')
    assert result.cookie(ACCESS_COOKIE[cookie_api.mode]) is not None


def test_refresh_access_refused_after_revoke(logged_in):
    JWTBlacklist.objects.create(jti=decode(logged_in.token('refresh'))['jti'])
    result = logged_in.with_refresh(REFRESH_ACCESS)
    assert result.error['message'] == "Can't update access token."
    assert result.error['extensions'] == {'code': 'INTERNAL_SERVER_ERROR', 'status': 500}


def test_refresh_access_without_jti_claims_skips_the_blacklist(api, settings, django_assert_num_queries):
    settings.DJWTO_JTI_CLAIM = False
    api.login()
    with django_assert_num_queries(0):
        assert api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']


def test_refresh_access_makes_one_blacklist_query(logged_in, django_assert_num_queries):
    with django_assert_num_queries(1):
        logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')


@pytest.mark.parametrize('query', REFRESHERS)
def test_refresh_operations_refuse_an_access_token(logged_in, query):
    logged_in.set_token('refresh', logged_in.token('access'))
    result = logged_in.with_refresh(query)
    expected = {
        'JSON': 'Refresh token was not sent in authorization header.',
        'ONE-COOKIE': 'Cookie "jwt_refresh" does not hold the refresh token.',
        'TWO-COOKIES': 'Cookie "jwt_refresh" does not hold the refresh token.',
    }[logged_in.mode]
    assert result.error['message'] == expected
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403}


@pytest.mark.parametrize('query', REFRESHERS)
def test_expired_refresh_token_is_refused(logged_in, clock, query):
    clock.tick(86400 + 1)
    assert logged_in.with_refresh(query).error['message'] == 'Signature has expired'


def test_update_refresh_keeps_the_jti_and_extends_the_expiry(logged_in, clock):
    old = decode(logged_in.token('refresh'))
    clock.tick(3600)
    answer = logged_in.with_refresh(UPDATE_REFRESH).field('updateRefresh')
    assert answer['msg'] == 'Refresh token successfully updated.'
    if logged_in.mode == 'JSON':
        logged_in.access, logged_in.refresh = answer['access'], answer['refresh']
    new = decode(logged_in.token('refresh'))
    assert new['jti'] == old['jti']
    assert new['iat'] == old['iat'] + 3600
    assert new['exp'] == old['exp'] + 3600
    access = decode(logged_in.token('access'))
    assert access['refresh_iat'] == new['iat'] and access['jti'] == old['jti']


def test_update_refresh_refused_when_disabled(logged_in, settings):
    settings.DJWTO_ALLOW_REFRESH_UPDATE = False
    result = logged_in.with_refresh(UPDATE_REFRESH)
    assert result.error['message'] == "Can't update refresh token."
    assert result.error['extensions']['status'] == 500


def test_update_refresh_refused_after_revoke(logged_in):
    JWTBlacklist.objects.create(jti=decode(logged_in.token('refresh'))['jti'])
    assert logged_in.with_refresh(UPDATE_REFRESH).error['message'] == "Can't update refresh token."


def test_update_refresh_refused_for_a_deleted_user(logged_in, alice):
    alice.delete()
    result = logged_in.with_refresh(UPDATE_REFRESH)
    assert result.error['message'] == "Can't update refresh token."
    assert result.error['extensions']['status'] == 500


def test_update_refresh_refused_for_an_inactive_user(logged_in, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    result = logged_in.with_refresh(UPDATE_REFRESH)
    assert result.error['message'] == 'User is inactive.'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403}
