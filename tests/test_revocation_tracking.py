"""The revocation cache's per-process copy, kept current by Redis (gql_djwto.revocation_tracking).

Each test has a Redis cache of its own (database 11, a key prefix of its own),
and a second alias on the same Redis and prefix: another server's writes,
through a connection this process's copy knows nothing of.
"""

from __future__ import annotations

import logging
import uuid

import pytest
import redis
from django.core.cache import caches

from gql_djwto import revocation, revocation_tracking
from gql_djwto.tokens import decode

from .conftest import VERIFY
from .revocation_cache import require_redis

REDIS_URL = 'redis://127.0.0.1:6379/11'
NO_TRACKING_USER = 'gql_djwto_tests_no_tracking'


def redis_caches(location: str) -> dict:
    prefix = f'test-tracking-{uuid.uuid4().hex}'
    redis_cache = {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': location}
    return {
        'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
        'revocation': {**redis_cache, 'KEY_PREFIX': prefix},
        'other_server': {**redis_cache, 'KEY_PREFIX': prefix},
    }


@pytest.fixture
def tracked(settings):
    """DJWTO_REVOCATION_CACHE in Redis; the trackers of earlier tests closed."""
    require_redis()
    settings.CACHES = redis_caches(REDIS_URL)
    settings.DJWTO_REVOCATION_CACHE = 'revocation'
    settings.DJWTO_REVOKE_ALL = True
    yield settings
    for tracker in revocation_tracking._trackers.values():
        tracker.close()
    revocation_tracking._trackers.clear()


@pytest.fixture
def redis_commands(monkeypatch) -> list[str]:
    """The commands this process's Redis clients send (the tracking connection has its own socket)."""
    sent: list[str] = []
    original = redis.Redis.execute_command

    def counted(client, *args, **kwargs):
        sent.append(args[0])
        return original(client, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, 'execute_command', counted)
    return sent


def revoke_elsewhere(token: str) -> None:
    """Write the session's revocation as another server does: its own connection, no word to us."""
    key = revocation.jti_key(decode(token)['jti'])
    caches['other_server'].set(key, 1, timeout=60)


def outcome(logged_in) -> str:
    result = logged_in.with_access(VERIFY)
    if result.errors:
        return result.error['extensions']['reason']
    return result.field('verify')['msg']


def test_a_token_read_once_is_checked_again_without_asking_redis(logged_in, tracked, redis_commands):
    assert outcome(logged_in) == 'Token is valid'
    assert redis_commands == ['MGET']
    for _ in range(3):
        assert outcome(logged_in) == 'Token is valid'
    assert redis_commands == ['MGET'], 'later checks of the same session answered from the copy'


def test_a_revocation_written_by_another_server_is_refused_by_the_next_request(
    logged_in, tracked, redis_commands
):
    assert outcome(logged_in) == 'Token is valid'
    revoke_elsewhere(logged_in.token('access'))
    assert outcome(logged_in) == 'TOKEN_REVOKED'


def test_a_revocation_through_this_process_is_refused_at_once(logged_in, tracked):
    assert outcome(logged_in) == 'Token is valid'
    revocation.record_revoked_jti(decode(logged_in.token('access'))['jti'])
    assert outcome(logged_in) == 'TOKEN_REVOKED'


def test_a_cutoff_written_elsewhere_ends_the_users_tokens(logged_in, tracked):
    assert outcome(logged_in) == 'Token is valid'
    claims = decode(logged_in.token('access'))
    caches['other_server'].set(revocation.user_key(claims['user']['id']), claims['iat'] + 1, timeout=60)
    assert outcome(logged_in) == 'TOKEN_REVOKED'


def tracking_client_ids() -> set[int]:
    """The ids of this process's tracking connections (other processes may be tracking too)."""
    named = {
        int(c['id'])
        for c in redis.Redis.from_url(REDIS_URL).client_list()
        if c['name'] == revocation_tracking.CLIENT_NAME
    }
    return named & {tracker.client_id for tracker in revocation_tracking._trackers.values()}


def test_a_killed_tracking_connection_sends_every_lookup_to_redis(
    logged_in, tracked, redis_commands, caplog, monkeypatch
):
    assert outcome(logged_in) == 'Token is valid'
    ours = tracking_client_ids()
    before = set(ours)
    assert ours, 'the tracking connection is open and named'
    killer = redis.Redis.from_url(REDIS_URL)
    for client_id in ours:  # Redis stops telling the killed connections anything
        killer.client_kill_filter(_id=client_id)
    revoke_elsewhere(logged_in.token('access'))
    with caplog.at_level(logging.WARNING, logger='gql_djwto'):
        assert outcome(logged_in) == 'TOKEN_REVOKED'
    assert 'Redis closed the tracking connection' in caplog.text
    assert redis_commands.count('MGET') == 2
    # Opened again later (here at once): tracking resumes.
    monkeypatch.setattr(revocation_tracking, 'RETRY_AFTER', 0.0)
    for tracker in revocation_tracking._trackers.values():
        tracker._retry_at = 0.0
    logged_in.login()
    assert outcome(logged_in) == 'Token is valid'
    asked = redis_commands.count('MGET')
    assert outcome(logged_in) == 'Token is valid'
    assert redis_commands.count('MGET') == asked
    assert tracking_client_ids() - before, 'a new tracking connection'


def test_a_flushed_redis_drops_the_copy(logged_in, tracked):
    revoke_elsewhere(logged_in.token('access'))
    assert outcome(logged_in) == 'TOKEN_REVOKED'  # the copy now holds the revocation
    redis.Redis.from_url(REDIS_URL).flushdb()
    assert outcome(logged_in) == 'Token is valid'


@pytest.fixture
def no_tracking_user():
    require_redis()
    admin = redis.Redis.from_url(REDIS_URL)
    admin.acl_setuser(
        NO_TRACKING_USER,
        enabled=True,
        passwords=['+pw'],
        keys=['*'],
        commands=['+@all', '-client|tracking'],
        reset=True,
    )
    yield f'redis://{NO_TRACKING_USER}:pw@127.0.0.1:6379/11'
    admin.acl_deluser(NO_TRACKING_USER)


def test_a_redis_that_refuses_tracking_is_asked_every_time(
    logged_in, tracked, no_tracking_user, redis_commands, caplog
):
    tracked.CACHES = redis_caches(no_tracking_user)
    with caplog.at_level(logging.WARNING, logger='gql_djwto'):
        assert outcome(logged_in) == 'Token is valid'
        assert outcome(logged_in) == 'Token is valid'
    assert redis_commands.count('MGET') == 2
    assert 'Redis refused client-side caching' in caplog.text
    assert 'pw@' not in caplog.text and ':pw' not in caplog.text
    revoke_elsewhere(logged_in.token('access'))
    assert outcome(logged_in) == 'TOKEN_REVOKED'
