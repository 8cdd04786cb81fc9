"""Log out everywhere: revokeAll, password changes and deactivation (DJWTO_REVOKE_ALL)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from gql_djwto import signals
from gql_djwto.models import UserRevocation

from .conftest import (
    ME,
    REFRESH_ACCESS,
    UPDATE_REFRESH,
    VERIFY,
    VERIFY_REFRESH,
    browser_like,
)

REVOKE_ALL = 'mutation { revokeAll { msg } }'
REVOKE_ALL_WITH_REFRESH = 'mutation { revokeAll(jwtType: REFRESH) { msg } }'
DONE = {'msg': 'All sessions successfully revoked.'}
REFRESH_REFUSED = {'code': 'INTERNAL_SERVER_ERROR', 'status': 500, 'reason': 'TOKEN_REVOKED'}
ACCESS_REFUSED = {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_REVOKED'}


@pytest.fixture
def revoke_all(settings) -> None:
    settings.DJWTO_REVOKE_ALL = True


@pytest.fixture
def sessions(revoke_all, clock, mode, alice):
    """Two sessions of alice, in two clients, a second before anything is revoked."""
    first, second = browser_like(mode), browser_like(mode)
    first.login().field('tokenAuth')
    second.login().field('tokenAuth')
    clock.tick(1)
    return first, second


def assert_refresh_refused(api) -> None:
    assert api.with_refresh(REFRESH_ACCESS).error['message'] == "Can't update access token."
    assert api.with_refresh(REFRESH_ACCESS).error['extensions'] == REFRESH_REFUSED
    assert api.with_refresh(UPDATE_REFRESH).error['message'] == "Can't update refresh token."


class Received:
    def __init__(self) -> None:
        self.calls = []

    def __call__(self, sender, **kwargs) -> None:
        self.calls.append((sender, kwargs))


@pytest.fixture
def all_revoked():
    received = Received()
    signals.jwt_all_revoked.connect(received, weak=False)
    yield received
    signals.jwt_all_revoked.disconnect(received)


def test_revoke_all_is_off_by_default(logged_in):
    result = logged_in.with_access(REVOKE_ALL)
    assert result.error['message'] == 'revokeAll is not enabled on this server (DJWTO_REVOKE_ALL).'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'REVOKE_ALL_DISABLED'}
    assert not UserRevocation.objects.exists()


def test_revoke_all_ends_every_session_of_the_user(sessions, all_revoked, alice):
    first, second = sessions
    assert first.with_access(REVOKE_ALL).field('revokeAll') == DONE
    for api in (first, second):
        assert_refresh_refused(api)
    [(sender, kwargs)] = all_revoked.calls
    assert sender is User and kwargs['user'] == alice and kwargs['cause'] == 'revokeAll'
    assert kwargs['request'].path == '/graphql/'


def test_revoke_all_with_the_refresh_token_at_the_refresh_path(sessions):
    first, second = sessions
    assert first.with_refresh(REVOKE_ALL_WITH_REFRESH).field('revokeAll') == DONE
    assert_refresh_refused(second)
    assert first.with_refresh(REVOKE_ALL_WITH_REFRESH).error['extensions'] == ACCESS_REFUSED


def test_other_users_keep_their_sessions(sessions, bob):
    first, _ = sessions
    bobs = browser_like(first.mode)
    bobs.login('bob')
    first.with_access(REVOKE_ALL).field('revokeAll')
    assert (
        bobs.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


def test_a_login_after_the_cutoff_works(sessions, clock):
    first, _ = sessions
    first.with_access(REVOKE_ALL).field('revokeAll')
    clock.tick(1)  # the cutoff second itself is refused whole: see the README
    again = browser_like(first.mode)
    again.login().field('tokenAuth')
    assert (
        again.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )
    assert (
        again.with_refresh(UPDATE_REFRESH).field('updateRefresh')['msg']
        == 'Refresh token successfully updated.'
    )


def test_without_the_cache_access_tokens_live_until_they_expire(sessions, clock):
    first, second = sessions
    first.with_access(REVOKE_ALL).field('revokeAll')
    assert second.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    clock.tick(5 * 60)
    assert second.with_access(VERIFY).error['extensions']['reason'] == 'TOKEN_EXPIRED'


def test_with_the_cache_access_tokens_are_refused_at_once(sessions, revocation_cache):
    first, second = sessions
    first.with_access(REVOKE_ALL).field('revokeAll')
    for api in (first, second):
        assert api.with_access(VERIFY).error['extensions'] == ACCESS_REFUSED
        assert api.with_access(ME).error['extensions'] == ACCESS_REFUSED
        assert api.with_refresh(VERIFY_REFRESH).error['extensions'] == ACCESS_REFUSED


def test_refresh_checks_blacklist_and_cutoff_in_one_statement(sessions, django_assert_num_queries):
    first, _ = sessions
    with django_assert_num_queries(1) as captured:
        first.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    sql = captured.captured_queries[0]['sql']
    assert 'gql_djwto_jwtblacklist' in sql and 'gql_djwto_userrevocation' in sql, sql
    with django_assert_num_queries(2):  # that statement, and the user's is_active
        first.with_refresh(UPDATE_REFRESH).field('updateRefresh')


def test_a_password_change_ends_every_session(
    sessions, alice, all_revoked, django_capture_on_commit_callbacks
):
    first, second = sessions
    with django_capture_on_commit_callbacks(execute=True):
        alice.set_password('new password')
        alice.save()
    for api in (first, second):
        assert_refresh_refused(api)
    assert [kwargs['cause'] for _, kwargs in all_revoked.calls] == ['password']
    assert all_revoked.calls[0][1]['request'] is None


def test_an_unusable_password_ends_every_session(sessions, alice):
    first, _ = sessions
    alice.set_unusable_password()
    alice.save()
    assert_refresh_refused(first)


def test_deactivation_ends_every_session_and_reactivation_does_not(sessions, alice, clock):
    first, _ = sessions
    alice.is_active = False
    alice.save(update_fields=['is_active'])
    assert_refresh_refused(first)
    alice.is_active = True
    alice.save()
    revocation = UserRevocation.objects.get()
    clock.tick(1)
    alice.save()
    assert UserRevocation.objects.get().not_before == revocation.not_before


def test_saving_other_fields_ends_nothing_and_asks_nothing(sessions, alice, django_assert_num_queries):
    first, _ = sessions
    with django_assert_num_queries(1):  # the UPDATE alone
        alice.save(update_fields=['last_login'])
    alice.first_name = 'Alice'
    alice.save()
    assert (
        first.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


def test_a_hasher_upgrade_at_login_is_not_a_password_change(revoke_all, mode, settings, db):
    settings.PASSWORD_HASHERS = [
        'django.contrib.auth.hashers.MD5PasswordHasher',
        'tests.hashers.RetiredHasher',
    ]
    from django.contrib.auth.hashers import make_password

    User.objects.create(username='alice', password=make_password('pass', hasher='retired_md5'))
    api = browser_like(mode)
    api.login().field('tokenAuth')
    assert User.objects.get().password.startswith('md5$'), 'upgraded at login'
    assert (
        api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


def test_without_the_setting_a_password_change_ends_nothing(logged_in, alice):
    alice.set_password('new password')
    alice.save()
    assert not UserRevocation.objects.exists()
    assert (
        logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


def test_revoke_all_without_iat_claims_is_refused(revoke_all, api, settings):
    settings.DJWTO_IAT_CLAIM = False
    api.login()
    result = api.with_access(REVOKE_ALL)
    assert result.error['extensions']['reason'] == 'NOT_PROCESSED'
    assert 'DJWTO_IAT_CLAIM' in result.error['message']


def test_the_user_table_is_found_by_its_own_column(db):
    field = UserRevocation._meta.get_field('user')
    assert field.column in {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), UserRevocation._meta.db_table
        )
    }
