"""System check gql_djwto.W005: failed logins must be counted in a cache that keeps them.

A per-process cache lets each server count its own failures; an evicting
one forgets an account's count once a few hundred other usernames fail.
The warning belongs to ``manage.py check --deploy``: in development one
process and the default local-memory cache are fine.
"""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import WARNING, run_checks

from gql_djwto.checks import check_throttle_cache

from .conftest import LOGIN

LOCMEM = 'django.core.cache.backends.locmem.LocMemCache'
REDIS = 'django.core.cache.backends.redis.RedisCache'


def w005():
    """Our check's messages (Django's own cache checks would try to connect to each cache)."""
    messages = check_throttle_cache()
    assert {m.id for m in messages} <= {'gql_djwto.W005'}
    return messages


def throttle_cache(settings, backend, **options):
    settings.CACHES = {
        'default': {'BACKEND': LOCMEM},
        'throttle': {'BACKEND': backend, 'LOCATION': 'somewhere', **options},
    }
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'throttle'


@pytest.mark.parametrize(
    'backend, reason',
    [
        (LOCMEM, 'counts in each server process on its own, and drops counts once it holds 300 entries'),
        ('django.core.cache.backends.dummy.DummyCache', 'counts nothing'),
        ('django.core.cache.backends.filebased.FileBasedCache', 'drops counts once it holds 300 entries'),
        ('django.core.cache.backends.db.DatabaseCache', 'drops counts once it holds 300 entries'),
        ('django.core.cache.backends.memcached.PyMemcacheCache', 'evicts counts when its memory is full'),
        ('django.core.cache.backends.memcached.PyLibMCCache', 'evicts counts when its memory is full'),
        ('tests.test_throttle_check.ProjectLocMemCache', 'counts in each server process on its own'),
    ],
)
def test_a_per_process_or_evicting_throttle_cache_is_a_deploy_warning(settings, backend, reason):
    throttle_cache(settings, backend)
    [message] = w005()
    assert message.level == WARNING
    assert message.obj == 'DJWTO_LOGIN_THROTTLE_CACHE'
    assert f"the cache 'throttle' ({backend})" in message.msg
    assert reason in message.msg
    assert 'Redis' in message.hint


class ProjectLocMemCache(LocMemCache):
    """A project's subclass of the local-memory cache."""


def test_the_warning_names_the_configured_max_entries(settings):
    throttle_cache(
        settings, 'django.core.cache.backends.filebased.FileBasedCache', OPTIONS={'MAX_ENTRIES': 5000}
    )
    [message] = w005()
    assert 'once it holds 5000 entries' in message.msg


@pytest.mark.parametrize('backend', [REDIS, 'django_redis.cache.RedisCache'])
def test_a_redis_throttle_cache_passes(settings, backend):
    throttle_cache(settings, backend)
    assert w005() == []


def test_the_default_local_memory_cache_is_warned_about_by_default(settings):
    del settings.DJWTO_LOGIN_THROTTLE_CACHE
    settings.CACHES = {'default': {'BACKEND': LOCMEM}}
    [message] = w005()
    assert "the cache 'default'" in message.msg


def test_only_the_throttle_cache_is_judged(settings):
    settings.CACHES = {'default': {'BACKEND': LOCMEM}, 'shared': {'BACKEND': REDIS, 'LOCATION': 'redis://x'}}
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'shared'
    assert w005() == []


def test_no_warning_when_throttling_is_off(settings):
    throttle_cache(settings, LOCMEM)
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 0
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 0
    assert w005() == []


def test_a_backend_it_cannot_judge_is_not_warned_about(settings):
    throttle_cache(settings, 'somewhere.else.UnknownCache')
    assert w005() == []


def test_an_unknown_alias_is_left_to_the_settings_check(settings):
    settings.DJWTO_LOGIN_THROTTLE_CACHE = 'nowhere'
    assert w005() == []
    assert [m.id for m in run_checks() if 'DJWTO_LOGIN_THROTTLE_CACHE' in m.msg]


def test_the_warning_is_for_deployment_only(settings):
    throttle_cache(settings, LOCMEM)
    assert [m.id for m in run_checks(include_deployment_checks=True) if m.id == 'gql_djwto.W005'] == [
        'gql_djwto.W005',
    ]
    assert [m for m in run_checks() if m.id == 'gql_djwto.W005'] == []


@pytest.mark.parametrize('mode', ['JSON'], indirect=True)
def test_a_dummy_cache_really_throttles_nothing(api, settings):
    """What the Dummy warning says, shown: eleven wrong passwords, eleven password checks."""
    throttle_cache(settings, 'django.core.cache.backends.dummy.DummyCache')
    for _ in range(11):
        assert (
            api.post(LOGIN, {'username': 'alice', 'password': 'wrong'}).error['extensions']['status'] == 401
        )


@pytest.mark.parametrize('mode', ['JSON'], indirect=True)
def test_a_local_memory_cache_forgets_an_accounts_failures_after_other_usernames_fail(api, settings):
    """What the eviction warning says, shown: 300 failing usernames evict alice's count."""
    throttle_cache(settings, LOCMEM)
    settings.DJWTO_LOGIN_FAILURES_PER_ADDRESS = 0
    settings.DJWTO_LOGIN_FAILURES_PER_USERNAME = 3
    for _ in range(3):
        api.login('alice', 'wrong')
    assert api.login('alice', 'wrong').error['extensions']['status'] == 429
    for index in range(300):
        api.login(f'someone-{index}', 'wrong')
    assert api.login('alice', 'wrong').error['extensions']['status'] == 401
