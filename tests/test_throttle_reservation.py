"""Each login attempt takes its place in the failure counts before its password is checked.

A failed attempt keeps its place (that is the failure counted); a
successful one gives it back; a refused one never held one. So successes
and refusals never use up an address's allowance.
"""

import os
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache, caches

from gql_djwto.errors import Throttled
from gql_djwto.throttle import KEY_PREFIX, _username_key, reserve_attempt

from .processes import port_is_open

REDIS = 'django.core.cache.backends.redis.RedisCache'
LOCMEM = 'django.core.cache.backends.locmem.LocMemCache'


@pytest.fixture
def address_limit(settings):
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 2
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 0
    return 2


def logged_out(api):
    api.client.cookies.clear()
    api.access = api.refresh = None
    return api


def address_count():
    return cache.get(f'{KEY_PREFIX}:address:127.0.0.1')


def test_successful_logins_give_their_place_back(api, address_limit):
    for _ in range(5):
        assert logged_out(api).login().field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert not address_count(), 'no place is held after successes'


def test_refused_attempts_hold_no_place(api, bob, settings):
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 2
    api.login('alice', 'wrong')
    api.login('alice', 'wrong')
    for _ in range(5):
        assert api.login('alice', 'wrong').error['extensions']['status'] == 429
    assert address_count() == 2
    assert api.login('bob').field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_failures_keep_their_place_until_the_limit(api, address_limit):
    assert api.login('x', 'wrong').error['extensions']['status'] == 401
    assert api.login('y', 'wrong').error['extensions']['status'] == 401
    assert address_count() == 2
    assert api.login().error['extensions']['status'] == 429
    assert address_count() == 2


def test_the_count_expires_with_its_window(api, settings, clock):
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 1
    settings.DJWTO_LOGIN_FAILURE_WINDOW = timedelta(minutes=2)
    api.login(password='wrong')
    clock.tick(60)
    assert api.login().error['extensions']['status'] == 429, 'a refusal does not extend the window'
    clock.tick(61)
    assert api.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'


def require_redis():
    if not port_is_open(6379):
        message = 'SKIPPED LOUDLY: needs Redis at 127.0.0.1:6379'
        if os.environ.get('GQL_DJWTO_REQUIRE_SERVICES') == '1':
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(params=[LOCMEM, REDIS])
def throttle_backend(request, settings):
    """Count in local memory, or in the shared Redis under a key prefix of this test's own.

    (Never ``clear()`` the Redis cache: that flushes the whole database. The
    keys of this prefix expire with their window.)
    """
    if request.param == REDIS:
        require_redis()
    settings.CACHES = {
        'default': {'BACKEND': LOCMEM},
        'throttle': {
            'BACKEND': request.param,
            'LOCATION': 'redis://127.0.0.1:6379/0',
            'KEY_PREFIX': f'gql-djwto-tests-{uuid.uuid4().hex}',
        },
    }
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'throttle'
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 0
    return request.param


def test_concurrent_reservations_past_nine_failures_let_exactly_one_through(throttle_backend, rf):
    """Fifty threads reserve at once on a count of nine of ten: one attempt is let through."""
    request = rf.post('/graphql/')
    for _ in range(9):
        reserve_attempt(request, 'carol')  # nine failures: each keeps its place
    start = threading.Barrier(50)
    outcomes = []

    def reserve():
        start.wait()
        try:
            outcomes.append(reserve_attempt(request, ' CAROL'))
        except Throttled:
            outcomes.append('throttled')

    threads = [threading.Thread(target=reserve) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count('throttled') == 49
    [attempt] = [outcome for outcome in outcomes if outcome != 'throttled']
    attempt.succeeded()
    reserve_attempt(request, 'carol')  # the success cleared the count


def test_a_count_in_redis_always_has_an_expiry(settings, rf):
    require_redis()
    settings.CACHES = {
        'default': {'BACKEND': LOCMEM},
        'throttle': {
            'BACKEND': REDIS,
            'LOCATION': 'redis://127.0.0.1:6379/0',
            'KEY_PREFIX': f'gql-djwto-tests-{uuid.uuid4().hex}',
        },
    }
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'throttle'
    reserve_attempt(rf.post('/graphql/'), 'carol')
    redis_cache = caches['throttle']
    ttl = redis_cache._cache.get_client().ttl(redis_cache.make_and_validate_key(_username_key('carol')))
    assert 0 < ttl <= 15 * 60
