"""request.user in resolvers served by our view: the token's user, in every mode.

tests/schema.py has ``requestUser`` (what a resolver reads of
``info.context.user``, unprotected) and ``meFromUser`` (jwt_login_required,
reads the user's name). bob has ``auth.view_user``, alice nothing.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from gql_djwto.authentication import authenticate
from gql_djwto.settings import djwto_settings
from gql_djwto.users import TokenUser

from .conftest import ME, Api

REQUEST_USER = '{ requestUser }'
ME_FROM_USER = '{ meFromUser }'
ANONYMOUS = {
    'class': 'AnonymousUser',
    'username': '',
    'pk': None,
    'authenticated': False,
    'canViewUsers': False,
    'authModule': False,
}


def token_user(user: User, *, can_view_users: bool = False) -> dict:
    return {
        'class': 'TokenUser',
        'username': user.username,
        'pk': user.pk,
        'authenticated': True,
        'canViewUsers': can_view_users,
        'authModule': can_view_users,
    }


@pytest.fixture(autouse=True)
def request_user_from_tokens(settings):
    """The feature is opt-in (DJWTO_REQUEST_USER is None by default): turn it on."""
    settings.DJWTO_REQUEST_USER = 'token'


# The token's user: no query.


def test_resolver_sees_the_token_user_without_a_query(logged_in, alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        result = logged_in.with_access(REQUEST_USER)
    assert result.field('requestUser') == token_user(alice)


def test_has_perm_follows_the_perms_claim(api, bob):
    api.login('bob')
    assert api.with_access(REQUEST_USER).field('requestUser') == token_user(bob, can_view_users=True)


def test_a_decorated_resolver_reads_the_same_user(logged_in, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert logged_in.with_access(ME_FROM_USER).field('meFromUser') == 'alice'


def test_request_without_a_token_or_session_is_anonymous(api, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert api.post(REQUEST_USER).field('requestUser') == ANONYMOUS


# A session without a token keeps its user.


def test_session_user_is_kept_without_a_token(session_browser, alice):
    answer = session_browser.post(REQUEST_USER).field('requestUser')
    assert answer['class'] == 'User' and answer['username'] == 'alice' and answer['pk'] == alice.pk


def test_a_token_wins_over_the_session(session_browser, bob):
    session_browser.login('bob')
    assert session_browser.with_access(REQUEST_USER).field('requestUser') == token_user(
        bob, can_view_users=True
    )


# A token that does not verify: AnonymousUser, and the decorators refuse as before.


def expire(api, clock):
    clock.tick(301)


def tamper(api, clock):
    token = api.token('access')
    api.set_token('access', token[:-4] + ('AAAA' if not token.endswith('AAAA') else 'BBBB'))


def refresh_as_access(api, clock):
    api.set_token('access', api.token('refresh'))


@pytest.mark.parametrize('spoil', [expire, tamper, refresh_as_access])
def test_a_bad_token_gives_anonymous_user_and_decorators_refuse_as_before(clock, logged_in, spoil):
    spoil(logged_in, clock)
    refusal = logged_in.with_access(ME).error
    assert logged_in.with_access(REQUEST_USER).field('requestUser') == ANONYMOUS
    assert logged_in.with_access(ME).error == refusal
    assert refusal['extensions']['code'] == 'FORBIDDEN'


def test_a_bad_token_does_not_fall_back_to_the_session(clock, session_browser):
    session_browser.login()
    clock.tick(301)
    assert session_browser.with_access(REQUEST_USER).field('requestUser') == ANONYMOUS


# The database user: one query when read, none otherwise.


@pytest.fixture
def database_mode(settings):
    settings.DJWTO_REQUEST_USER = 'database'


def test_database_mode_reads_the_user_once_on_first_touch(
    database_mode, logged_in, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert logged_in.with_access(ME_FROM_USER).field('meFromUser') == 'alice'
    answer = logged_in.with_access(REQUEST_USER).field('requestUser')
    assert answer['class'] == 'User' and answer['username'] == 'alice'


def test_database_mode_costs_nothing_when_the_user_is_not_read(
    database_mode, logged_in, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert logged_in.with_access(ME).field('me') == 'alice'


def refusal_of(result, field):
    """Return the message and reason of a resolver's refusal (403, FORBIDDEN)."""
    error = result.error
    assert result.data == {field: None} and error['path'] == [field]
    extensions = error['extensions']
    assert (extensions['code'], extensions['status']) == ('FORBIDDEN', 403)
    return error['message'], extensions['reason']


UNKNOWN = ("The token's user does not exist.", 'USER_UNKNOWN')


def test_database_mode_refuses_a_deleted_user(database_mode, logged_in, alice):
    alice.delete()
    assert refusal_of(logged_in.with_access(REQUEST_USER), 'requestUser') == UNKNOWN
    assert refusal_of(logged_in.with_access(ME_FROM_USER), 'meFromUser') == UNKNOWN


def test_database_mode_refuses_another_account_given_the_deleted_ones_id(database_mode, logged_in, alice):
    pk = alice.pk
    alice.delete()
    User.objects.create_user('mallory', pk=pk, password='pass')
    assert refusal_of(logged_in.with_access(REQUEST_USER), 'requestUser') == UNKNOWN


def test_database_mode_refuses_an_inactive_user(database_mode, logged_in, alice):
    alice.is_active = False
    alice.save()
    assert refusal_of(logged_in.with_access(REQUEST_USER), 'requestUser') == (
        'User is inactive.',
        'USER_INACTIVE',
    )


def test_token_mode_ignores_the_database(logged_in, alice):
    alice.delete()
    assert logged_in.with_access(REQUEST_USER).field('requestUser')['class'] == 'TokenUser'


# DJWTO_REQUEST_USER.


def test_by_default_request_user_is_left_to_django_as_in_djwto(logged_in, settings):
    del settings.DJWTO_REQUEST_USER
    assert djwto_settings.REQUEST_USER is None
    assert logged_in.with_access(REQUEST_USER).field('requestUser') == ANONYMOUS
    assert logged_in.with_access(ME).field('me') == 'alice'


def test_by_default_a_session_user_is_left_as_it_is(session_browser, settings):
    del settings.DJWTO_REQUEST_USER
    session_browser.login('alice')
    answer = session_browser.with_access(REQUEST_USER).field('requestUser')
    assert answer['class'] == 'User'


@pytest.mark.parametrize('value', ['db', 'Token', True, 0])
def test_an_invalid_request_user_setting_is_named_and_checked(settings, value):
    settings.DJWTO_REQUEST_USER = value
    with pytest.raises(ImproperlyConfigured, match='DJWTO_REQUEST_USER'):
        djwto_settings.REQUEST_USER  # noqa: B018 - reading it is the test
    [message] = [m for m in run_checks() if m.id.startswith('gql_djwto.')]
    assert message.id == 'gql_djwto.E035' and 'DJWTO_REQUEST_USER' in message.msg


def test_an_invalid_request_user_setting_fails_closed(logged_in, settings, caplog):
    """The one policy for bad settings (gql_djwto.refusals): request.user is refused, coded and logged."""
    settings.DJWTO_REQUEST_USER = 'db'
    with caplog.at_level(logging.ERROR, logger='gql_djwto'):
        error = logged_in.with_access(REQUEST_USER).error
    assert (error['message'], error['extensions']) == (
        'Failed to process request.',
        {'code': 'INTERNAL_SERVER_ERROR', 'status': 500, 'reason': 'NOT_PROCESSED'},
    )
    assert 'DJWTO_REQUEST_USER' in caplog.text
    assert logged_in.with_access(ME).field('me') == 'alice'


# TokenUser itself, from a real token's claims.


@pytest.fixture
def bob_token_user(bob, rf, settings) -> TokenUser:
    settings.DJWTO_MODE = 'JSON'
    api = Api(Client(), 'JSON')
    api.login('bob')
    request = rf.get('/', HTTP_AUTHORIZATION=f'Bearer {api.access}')
    return TokenUser(authenticate(request)[1]['user'])


def test_token_user_answers_like_a_django_user(bob_token_user, bob):
    user = bob_token_user
    assert (user.pk, user.id, user.username, user.get_username(), str(user)) == (
        bob.pk,
        bob.pk,
        'bob',
        'bob',
        'bob',
    )
    assert user.is_authenticated and not user.is_anonymous and user.is_active
    assert not user.is_staff and not user.is_superuser
    assert user.has_perms(['auth.view_user']) and not user.has_perms(['auth.view_user', 'auth.add_user'])
    assert not user.has_perm('auth.view_user', obj=bob)  # no object permissions
    assert user.get_all_permissions() == bob.get_all_permissions()
    assert user.has_module_perms('auth') and not user.has_module_perms('admin')
    with pytest.raises(ValueError, match='iterable'):
        user.has_perms('auth.view_user')
    with pytest.raises(AttributeError):
        user.email  # noqa: B018 - not in the claims
    with pytest.raises(NotImplementedError):
        user.save()


def test_token_users_are_equal_by_id(bob_token_user, bob):
    again = TokenUser({'id': bob.pk, 'username': 'bob', 'perms': []})
    other = TokenUser({'id': bob.pk + 1, 'username': 'bob', 'perms': []})
    assert bob_token_user == again and hash(bob_token_user) == hash(again)
    assert bob_token_user != other
    assert len({bob_token_user, again, other}) == 2
