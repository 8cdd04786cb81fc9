"""Login throttling (ours): failures per username and per address, one password per request."""

from datetime import timedelta

import pytest

from .conftest import LOGIN
from .hashers import CountingHasher

THROTTLED = 'Too many failed login attempts; try again in 15 minutes.'


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ['tests.hashers.CountingHasher']
    CountingHasher.checks = 0
    return CountingHasher


@pytest.fixture
def alice_hashed(alice, counting_hasher):
    alice.set_password('pass')
    alice.save()
    counting_hasher.checks = 0
    return alice


def test_repeated_failures_for_a_username_are_throttled(
    api, alice_hashed, counting_hasher, settings, recorder
):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 3
    for _ in range(3):
        assert api.login(password='wrong').error['extensions']['status'] == 401
    assert counting_hasher.checks == 3
    recorder.clear()
    result = api.login()  # even the right password waits for the window
    assert result.error['message'] == THROTTLED
    assert result.error['extensions'] == {
        'code': 'TOO_MANY_REQUESTS',
        'status': 429,
        'reason': 'LOGIN_THROTTLED',
    }
    assert counting_hasher.checks == 3, 'a throttled attempt never runs the hasher'
    assert [(name, kwargs['error']) for name, _, kwargs in recorder.events] == [('jwt_login_fail', THROTTLED)]


def test_throttle_ends_with_the_window(api, alice_hashed, settings, clock):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    settings.DJWTO_LOGIN_FAILURE_WINDOW = timedelta(minutes=1)
    api.login(password='wrong')
    api.login(password='wrong')
    assert api.login().error['extensions']['status'] == 429
    clock.tick(61)
    assert api.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_username_throttle_ignores_case(api, alice_hashed, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    api.login(username='Alice', password='wrong')
    api.login(username='ALICE', password='wrong')
    assert api.login().error['extensions']['status'] == 429


def test_other_usernames_are_not_throttled_by_one_users_failures(api, alice_hashed, bob, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    api.login(password='wrong')
    api.login(password='wrong')
    assert api.login('bob').field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_repeated_failures_from_one_address_are_throttled(api, alice_hashed, bob, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 0
    for username in ('x', 'y', 'z'):
        api.login(username=username, password='wrong')
    assert api.login('bob').error['message'] == THROTTLED
    assert api.login('bob', REMOTE_ADDR='10.9.8.7').field('tokenAuth')['msg'] == (
        'Tokens successfully created.'
    )


def test_success_clears_the_usernames_failures(api, alice_hashed, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    api.login(password='wrong')
    api.login()
    api.client.cookies.clear()
    api.access = None
    api.login(password='wrong')
    assert api.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_throttling_can_be_turned_off(api, alice_hashed, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 0
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 0
    for _ in range(12):
        assert api.login(password='wrong').error['extensions']['status'] == 401


def test_aliased_logins_in_one_document_check_one_password(api, alice_hashed, counting_hasher, recorder):
    aliases = ' '.join(
        f'a{index}: tokenAuth(username: "alice", password: "wrong{index}") {{ msg }}' for index in range(100)
    )
    result = api.post(f'mutation {{ {aliases} }}')
    assert counting_hasher.checks == 1
    assert len(result.errors) == 100
    assert result.errors[0]['extensions']['status'] == 401
    assert {e['message'] for e in result.errors[1:]} == {'Only one login attempt is allowed per request.'}
    assert recorder.names() == ['jwt_login_fail'] * 100


def test_aliased_logins_after_a_success_issue_nothing_more(api, alice_hashed, counting_hasher):
    aliases = ' '.join(
        f'a{index}: tokenAuth(username: "alice", password: "pass") {{ msg }}' for index in range(20)
    )
    result = api.post(f'mutation {{ {aliases} }}')
    assert counting_hasher.checks == 1
    messages = [result.data[f'a{index}']['msg'] for index in range(20)]
    assert messages == ['Tokens successfully created.'] + ['User already authenticated.'] * 19


def test_login_variables_of_the_wrong_type_are_refused_cleanly(api):
    result = api.post(LOGIN, {'username': 5, 'password': ['x']})
    assert result.status == 400
    assert [e['message'] for e in result.errors] == [
        "Variable '$username' got invalid value 5; String cannot represent a non string value: 5",
        "Variable '$password' got invalid value ['x']; String cannot represent a non string value: ['x']",
    ]
