"""Login throttling counts the username the login form authenticates with, not the raw text.

Django's login form strips the username and applies NFKC; the throttle
also case-folds. So every spelling that reaches the same account (or the
same case-insensitive look-alike) shares one count of failures.
"""

import pytest
from django.contrib.auth.backends import ModelBackend

THROTTLED = 'Too many failed login attempts; try again in 15 minutes.'

VARIANTS = [
    pytest.param('alice', id='plain'),
    pytest.param(' alice', id='leading-space'),
    pytest.param('alice\t\n', id='trailing-whitespace'),
    pytest.param('\u3000alice', id='ideographic-space'),
    pytest.param('ALICE', id='upper-case'),
    pytest.param('ａｌｉｃｅ', id='fullwidth'),
    pytest.param('𝐚𝐥𝐢𝐜𝐞', id='mathematical-bold'),
    pytest.param(' 𝐀𝐋𝐈𝐂𝐄 ', id='bold-capitals-spaced'),
    pytest.param('ａlice', id='mixed'),
]


class CountingBackend(ModelBackend):
    """Django's model backend, counting every credential check it is asked for."""

    calls = 0

    def authenticate(self, request, username=None, password=None, **kwargs):
        CountingBackend.calls += 1
        return super().authenticate(request, username, password, **kwargs)


@pytest.fixture
def counting_backend(settings):
    settings.AUTHENTICATION_BACKENDS = ['tests.test_throttle_normalised.CountingBackend']
    CountingBackend.calls = 0
    return CountingBackend


@pytest.mark.parametrize('variant', VARIANTS)
def test_after_ten_failures_for_alice_every_spelling_is_refused_without_a_password_check(
    api, counting_backend, recorder, variant
):
    for _ in range(10):
        assert api.login('alice', 'wrong').error['extensions']['status'] == 401
    assert counting_backend.calls == 10
    recorder.clear()

    result = api.login(variant, 'pass')  # the right password too

    assert result.error['message'] == THROTTLED
    assert result.error['extensions'] == {
        'code': 'TOO_MANY_REQUESTS',
        'status': 429,
        'reason': 'LOGIN_THROTTLED',
    }
    assert counting_backend.calls == 10, 'a throttled spelling never reaches the backend'
    assert [(name, kwargs['error']) for name, _, kwargs in recorder.events] == [('jwt_login_fail', THROTTLED)]


def test_failures_spread_over_spellings_add_up_to_one_count(api, counting_backend):
    spellings = [value.values[0] for value in VARIANTS]
    for index in range(10):
        assert api.login(spellings[index % len(spellings)], 'wrong').error['extensions']['status'] == 401
    assert api.login('alice', 'pass').error['message'] == THROTTLED
    assert counting_backend.calls == 10


def test_a_stripped_spelling_logs_in_as_alice_and_clears_her_count(api, counting_backend, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    api.login('alice', 'wrong')
    assert api.login(' alice ', 'pass').field('tokenAuth')['msg'] == 'Tokens successfully created.'
    api.client.cookies.clear()
    api.access = None
    api.login('alice', 'wrong')
    assert api.login('alice', 'pass').field('tokenAuth')['msg'] == 'Tokens successfully created.'


@pytest.mark.parametrize('other', ['alice2', 'alicé', 'bob', 'a lice'])
def test_a_different_username_keeps_its_own_count(api, counting_backend, other):
    for _ in range(10):
        api.login('alice', 'wrong')
    assert api.login(other, 'wrong').error['extensions']['status'] == 401
    assert counting_backend.calls == 11


def test_an_over_long_username_is_counted_case_folded(api, counting_backend):
    """As Django's form, text longer than a username is not NFKC-normalised; case still counts once."""
    too_long = 'a' * 151  # User.username holds 150
    for index in range(10):
        spelling = too_long.upper() if index % 2 else f' {too_long}'
        assert api.login(spelling, 'wrong').error['extensions']['status'] == 401
    assert api.login(too_long, 'wrong').error['message'] == THROTTLED
    assert counting_backend.calls == 10
