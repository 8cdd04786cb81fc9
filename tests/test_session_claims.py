"""DJWTO_REFRESH_CLAIMS = 'reissue' and DJWTO_MAX_SESSION_LIFETIME: claims that follow the user, sessions that end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from gql_djwto.errors import Reason
from gql_djwto.sessions import revoke_user_sessions
from gql_djwto.tokens import decode

from .conftest import ME, REFRESH_ACCESS, UPDATE_REFRESH
from .test_refresh_rotation import REFRESHERS, refresh


@pytest.fixture
def reissue(settings):
    settings.DJWTO_REFRESH_CLAIMS = 'reissue'


@pytest.fixture
def with_perm(alice):
    alice.user_permissions.add(Permission.objects.get(codename='view_user'))
    return alice


# Reissue.


@pytest.mark.parametrize('query', REFRESHERS)
def test_a_removed_permission_is_gone_from_the_next_access_token(reissue, with_perm, api, query):
    api.login()
    assert decode(api.token('access'))['user']['perms'] == ['auth.view_user']
    with_perm.user_permissions.clear()
    assert refresh(api, query).errors == []
    access = decode(api.token('access'))
    assert access['user']['perms'] == []
    assert access['jti'] == decode(api.token('refresh'))['jti'], 'the same session'


def test_keep_leaves_the_permissions_of_login(with_perm, api):
    api.login()
    with_perm.user_permissions.clear()
    assert refresh(api, REFRESH_ACCESS).errors == []
    assert decode(api.token('access'))['user']['perms'] == ['auth.view_user']


def test_reissue_keeps_the_sessions_claims(reissue, clock, alice, api):
    api.login()
    before = decode(api.token('refresh'))
    clock.tick(60)
    alice.username = 'alicia'
    alice.save()
    assert refresh(api, REFRESH_ACCESS).errors == []
    access = decode(api.token('access'))
    assert access['user']['username'] == 'alicia', 'found by id, so a renamed user is followed'
    assert (access['jti'], access['refresh_iat']) == (before['jti'], before['iat'])
    assert decode(api.token('refresh')) == before, 'without rotation the refresh token comes back as sent'


@pytest.mark.parametrize(
    'query, message',
    [
        (REFRESH_ACCESS, "Can't update access token."),
        (UPDATE_REFRESH, "Can't update refresh token."),
    ],
)
def test_a_deleted_users_refresh_is_refused(reissue, alice, api, query, message):
    api.login()
    alice.delete()
    error = api.with_refresh(query).error
    assert error['message'] == message
    assert error['extensions']['reason'] == Reason.USER_UNKNOWN


@pytest.mark.parametrize('query', REFRESHERS)
def test_an_inactive_users_refresh_is_refused(reissue, alice, api, query):
    api.login()
    alice.is_active = False
    alice.save()
    error = api.with_refresh(query).error
    assert error['message'] == 'User is inactive.'
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': Reason.USER_INACTIVE}


@pytest.mark.parametrize('query', REFRESHERS)
def test_a_revoked_session_is_refused_before_its_user_is_read(reissue, alice, api, query):
    api.login()
    api.with_refresh('mutation { revoke { msg } }').field('revoke')
    alice.delete()
    assert api.with_refresh(query).error['extensions']['reason'] == Reason.TOKEN_REVOKED


@pytest.mark.parametrize('query', REFRESHERS)
def test_reissue_makes_at_most_three_statements(
    reissue, with_perm, api, query, django_assert_max_num_queries
):
    api.login()
    with django_assert_max_num_queries(3):
        assert refresh(api, query).errors == []


@pytest.mark.parametrize('query', REFRESHERS)
def test_reissue_with_revoke_all_still_makes_at_most_three_statements(
    reissue, settings, with_perm, api, query, django_assert_max_num_queries
):
    settings.DJWTO_REVOKE_ALL = True
    api.login()
    with django_assert_max_num_queries(3):
        assert refresh(api, query).errors == []


@pytest.mark.parametrize('query', REFRESHERS)
def test_reissue_with_revoke_all_refuses_a_session_before_the_cutoff(reissue, settings, alice, api, query):
    settings.DJWTO_REVOKE_ALL = True
    api.login()
    revoke_user_sessions(alice, cause='test')
    assert api.with_refresh(query).error['extensions']['reason'] == Reason.TOKEN_REVOKED


def test_reissue_and_rotation_together(reissue, settings, with_perm, api):
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True
    api.login()
    with_perm.user_permissions.clear()
    assert refresh(api, REFRESH_ACCESS).errors == []
    rotated = decode(api.token('refresh'))
    assert rotated['gen'] == 1 and rotated['user']['perms'] == []


# The absolute session lifetime.


@pytest.fixture
def one_hour_sessions(settings):
    settings.DJWTO_MAX_SESSION_LIFETIME = timedelta(hours=1)


def test_login_stamps_auth_time_and_caps_the_refresh_token(one_hour_sessions, clock, api):
    api.login()
    refresh_claims = decode(api.token('refresh'))
    assert refresh_claims['auth_time'] == refresh_claims['iat']
    assert refresh_claims['exp'] == refresh_claims['auth_time'] + 3600
    assert decode(api.token('access'))['auth_time'] == refresh_claims['auth_time']


def test_without_the_setting_tokens_are_djwtos(clock, api):
    api.login()
    assert 'auth_time' not in decode(api.token('refresh'))


@pytest.mark.parametrize('rotate', [False, True], ids=['update', 'update-and-rotate'])
def test_update_refresh_never_extends_past_the_sessions_end(one_hour_sessions, settings, clock, api, rotate):
    settings.DJWTO_ROTATE_REFRESH_TOKENS = rotate
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = timedelta(minutes=20)
    api.login()
    auth_time = decode(api.token('refresh'))['auth_time']
    for minutes in (15, 15, 15, 13):  # the last at 58 minutes: its access token would outlive the hour
        clock.tick(minutes * 60)
        assert refresh(api, UPDATE_REFRESH).errors == []
        claims = decode(api.token('refresh'))
        assert claims['auth_time'] == auth_time
        assert claims['exp'] <= auth_time + 3600
        assert decode(api.token('access'))['exp'] <= auth_time + 3600
    assert claims['exp'] == decode(api.token('access'))['exp'] == auth_time + 3600
    clock.tick(2 * 60)  # exactly an hour after login
    error = api.with_refresh(UPDATE_REFRESH).error
    assert error['message'] == 'Session has expired; log in again.'
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': Reason.SESSION_EXPIRED}
    error = api.with_access(ME).error
    assert error['extensions']['reason'] == Reason.SESSION_EXPIRED, 'the access token ends with the session'


def test_a_token_expiring_before_the_sessions_end_is_just_expired(one_hour_sessions, clock, api):
    api.login()
    clock.tick(301)
    assert api.with_access(ME).error['extensions']['reason'] == Reason.TOKEN_EXPIRED


def test_a_session_from_before_the_setting_counts_from_its_refresh_token(settings, clock, api):
    api.login()
    settings.DJWTO_MAX_SESSION_LIFETIME = timedelta(hours=1)
    clock.tick(1800)
    assert refresh(api, REFRESH_ACCESS).errors == []
    assert decode(api.token('access'))['auth_time'] == decode(api.token('refresh'))['iat']
    clock.tick(1800)
    assert api.with_refresh(REFRESH_ACCESS).error['extensions']['reason'] == Reason.SESSION_EXPIRED
