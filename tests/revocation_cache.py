"""A Redis revocation cache for the tests (database 8, a key prefix of its own per test)."""

from __future__ import annotations

import os
import uuid

import pytest

from .processes import free_port, port_is_open

REDIS_URL = 'redis://127.0.0.1:6379/8'
ALIAS = 'revocation'


def require_redis() -> None:
    """Skip without Redis at 127.0.0.1:6379; fail instead when GQL_DJWTO_REQUIRE_SERVICES=1."""
    if not port_is_open(6379):
        message = 'needs Redis at 127.0.0.1:6379 for the revocation cache'
        if os.environ.get('GQL_DJWTO_REQUIRE_SERVICES') == '1':
            pytest.fail(message)
        pytest.skip(message)


def caches_with(location: str) -> dict:
    """The default local cache, and a Redis revocation cache at ``location``."""
    return {
        'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
        ALIAS: {
            'BACKEND': 'django.core.cache.backends.redis.RedisCache',
            'LOCATION': location,
            'KEY_PREFIX': f'test-revocation-{uuid.uuid4().hex}',
        },
    }


@pytest.fixture
def revocation_cache(settings) -> str:
    """DJWTO_REVOCATION_CACHE set to a Redis cache only this test uses."""
    require_redis()
    settings.CACHES = caches_with(REDIS_URL)
    settings.DJWTO_REVOCATION_CACHE = ALIAS
    return ALIAS


@pytest.fixture
def broken_revocation_cache(settings) -> str:
    """DJWTO_REVOCATION_CACHE set to a Redis nobody serves (a closed loopback port)."""
    settings.CACHES = caches_with(f'redis://127.0.0.1:{free_port()}/8')
    settings.CACHES[ALIAS]['OPTIONS'] = {'socket_connect_timeout': 1}
    settings.DJWTO_REVOCATION_CACHE = ALIAS
    return ALIAS
