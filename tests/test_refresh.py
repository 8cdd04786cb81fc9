"""refreshAccess and updateRefresh: djwto's RefreshAccessView and UpdateRefreshView."""

import pytest
from django.contrib.auth.models import User
from django.db import connection

from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode

from .conftest import ACCESS_COOKIE, REFRESH_ACCESS, UPDATE_REFRESH

REFRESHERS = [REFRESH_ACCESS, UPDATE_REFRESH]


def test_refresh_access_issues_a_new_access_token_with_the_same_jti(clock, logged_in):
    old_refresh = decode(logged_in.token('refresh'))
    clock.tick(60)
    answer = logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    assert answer['msg'] == 'Access token successfully refreshed.'
    if logged_in.mode == 'JSON':
        logged_in.access = answer['access']
        assert decode(answer['refresh']) == old_refresh
        assert answer['refresh'] == logged_in.refresh, 'the refresh token is handed back as it came'
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
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'TOKEN_REVOKED',
    }


def test_refresh_access_without_jti_claims_skips_the_blacklist(api, settings, django_assert_num_queries):
    settings.DJWTO_JTI_CLAIM = False
    api.login()
    with django_assert_num_queries(0):
        assert api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']


def test_refresh_access_makes_one_blacklist_query(logged_in, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    sql = captured.captured_queries[0]['sql']
    assert 'gql_djwto_jwtblacklist' in sql and '"jti"' in sql, sql


def test_the_blacklist_is_looked_up_on_the_unique_jti_index(logged_in, django_assert_num_queries):
    assert JWTBlacklist._meta.get_field('jti').unique
    with django_assert_num_queries(1) as captured:
        logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    with connection.cursor() as cursor:
        if connection.vendor == 'postgresql':
            cursor.execute('SET LOCAL enable_seqscan = off')  # a tiny table would be scanned anyway
            cursor.execute('EXPLAIN ' + captured.captured_queries[0]['sql'])
        else:
            cursor.execute('EXPLAIN QUERY PLAN ' + captured.captured_queries[0]['sql'])
        plan = ' '.join(str(row) for row in cursor.fetchall())
    assert 'jti' in plan and ('Index' in plan or 'INDEX' in plan), plan


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
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'WRONG_TOKEN_TYPE'}


@pytest.mark.parametrize('query', REFRESHERS)
def test_expired_refresh_token_is_refused(clock, logged_in, query):
    clock.tick(86400 + 1)
    error = logged_in.with_refresh(query).error
    assert error['message'] == 'Signature has expired'
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_EXPIRED'}


def test_update_refresh_keeps_the_jti_and_extends_the_expiry(clock, logged_in):
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
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'REFRESH_UPDATE_DISABLED',
    }


def test_update_refresh_refused_after_revoke(logged_in):
    JWTBlacklist.objects.create(jti=decode(logged_in.token('refresh'))['jti'])
    error = logged_in.with_refresh(UPDATE_REFRESH).error
    assert error['message'] == "Can't update refresh token."
    assert error['extensions']['reason'] == 'TOKEN_REVOKED'


def test_update_refresh_refused_for_a_deleted_user(logged_in, alice):
    alice.delete()
    result = logged_in.with_refresh(UPDATE_REFRESH)
    assert result.error['message'] == "Can't update refresh token."
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'USER_UNKNOWN',
    }


def test_update_refresh_refused_for_an_inactive_user(logged_in, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    result = logged_in.with_refresh(UPDATE_REFRESH)
    assert result.error['message'] == 'User is inactive.'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'USER_INACTIVE'}
