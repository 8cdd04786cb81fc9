"""Clean, coded answers to credentials no account can hold and to a throttle cache that is down.

A lone surrogate cannot be encoded, stored or hashed, so no account can
match it: it is answered as wrong credentials. A throttle cache that fails
refuses every login (fail closed) with djwto's generic message; the cause
is logged for the operator, never sent to the client.
"""

import logging

import pytest

from .processes import free_port
from .test_throttle_normalised import CountingBackend

NOT_PROCESSED = 'Failed to process request.'


@pytest.fixture
def counting_backend(settings):
    settings.AUTHENTICATION_BACKENDS = ['tests.test_throttle_normalised.CountingBackend']
    CountingBackend.calls = 0
    return CountingBackend


def bad_credentials(api):
    """The answer to an ordinary wrong password, to compare odd input's answer with."""
    error = api.login('alice', 'wrong').error
    api.client.cookies.pop('jwt_refresh', None)
    return error['message'], error['extensions']


@pytest.mark.parametrize(
    'username, password',
    [
        pytest.param('\ud800', 'pass', id='username-lone-high-surrogate'),
        pytest.param('ali\udfffce', 'pass', id='username-lone-low-surrogate'),
        pytest.param('alice', '\ud83d', id='password-lone-surrogate'),
        pytest.param('\udc80', 'x\ud800y', id='both'),
    ],
)
def test_a_lone_surrogate_in_the_credentials_is_refused_as_wrong_credentials(
    api, counting_backend, recorder, caplog, username, password
):
    expected_message, expected_extensions = bad_credentials(api)
    recorder.clear()
    calls = counting_backend.calls
    caplog.set_level(logging.INFO, logger='gql_djwto')

    result = api.login(username, password)

    assert result.status == 200
    assert result.error['message'] == expected_message
    assert (
        result.error['extensions']
        == expected_extensions
        == {'code': 'UNAUTHENTICATED', 'status': 401, 'reason': 'BAD_CREDENTIALS'}
    )
    assert 'codec' not in result.response.content.decode()
    assert counting_backend.calls == calls, 'no backend is asked about text it cannot store'
    assert [(name, kwargs['error']) for name, _, kwargs in recorder.events] == [
        ('jwt_login_fail', expected_message),
    ]
    assert 'lone surrogate' in caplog.text


def test_a_lone_surrogate_is_refused_whatever_the_authenticate_handler(api, settings, recorder):
    settings.DJWTO_AUTHENTICATE_HANDLER = 'tests.test_throttle_odd_input.encoding_handler'
    result = api.login('\ud800', 'pass')
    assert result.error['extensions']['status'] == 401
    assert recorder.names() == ['jwt_login_fail']


def encoding_handler(request, username, password):
    """A project's handler that hashes the password itself."""
    password.encode()
    raise AssertionError('the login should have been refused before any handler')


@pytest.fixture
def throttle_cache_down(settings):
    """Count failures in a Redis cache at a loopback port where nothing listens."""
    port = free_port()
    settings.CACHES = {
        'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
        'throttle': {
            'BACKEND': 'django.core.cache.backends.redis.RedisCache',
            'LOCATION': f'redis://127.0.0.1:{port}/0',
        },
    }
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'throttle'
    return port


@pytest.mark.parametrize('password', ['pass', 'wrong'])
def test_with_the_throttle_cache_down_every_login_is_refused_with_a_coded_answer(
    api, throttle_cache_down, counting_backend, recorder, caplog, password
):
    result = api.login('alice', password)

    assert result.error['message'] == NOT_PROCESSED
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'NOT_PROCESSED',
    }
    body = result.response.content.decode()
    for internal in ('127.0.0.1', str(throttle_cache_down), 'Error 111', 'onnect', 'redis', 'Redis'):
        assert internal not in body
    assert counting_backend.calls == 0, 'fail closed: no password is checked uncounted'
    assert api.access is None and 'jwt_access' not in api.client.cookies
    assert [(name, kwargs['error']) for name, _, kwargs in recorder.events] == [
        ('jwt_login_fail', NOT_PROCESSED),
    ]
    [record] = [r for r in caplog.records if r.name == 'gql_djwto' and r.levelno == logging.ERROR]
    assert 'throttle' in record.getMessage()
    assert str(throttle_cache_down) in record.getMessage(), 'the operator learns the cause'
    assert password not in record.getMessage()


def test_with_throttling_off_a_broken_cache_does_not_matter(api, throttle_cache_down, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 0
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 0
    assert api.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'
