"""System checks of the caches gql_djwto counts and revokes in: the login throttle's, the revocation cache.

Both must be shared by every server process and must not drop entries;
Django's own backends are judged by class, others (Redis, django-redis) pass.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .settings import djwto_settings


def _backend(alias: str) -> Any:
    """The class of cache ``alias``'s backend, or None when it cannot be imported."""
    try:
        return import_string(settings.CACHES[alias]['BACKEND'])
    except (ImportError, KeyError):
        return None


def _flaw(backend: Any, flaws: list[tuple[Any, str]]) -> str | None:
    """The text of the first of ``flaws`` (backend classes, text) that ``backend`` is, or None."""
    if not isinstance(backend, type):
        return None
    return next((text for kind, text in flaws if issubclass(backend, kind)), None)


@checks.register(checks.Tags.security, checks.Tags.caches, deploy=True)
def check_throttle_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn (``check --deploy``) when failed logins are counted in a cache that loses counts.

    A per-process cache lets each server process count its own failures;
    an evicting one drops an account's count once enough other usernames
    fail. Only Django's caches are judged: Redis passes, as does
    django-redis's by its class path; a backend we do not know is not judged.
    """
    try:
        if not (djwto_settings.LOGIN_FAILURES_PER_USERNAME or djwto_settings.LOGIN_FAILURES_PER_ADDRESS):
            return []
        alias = djwto_settings.LOGIN_THROTTLE_CACHE
    except ImproperlyConfigured:
        return []  # reported by check_settings
    config = settings.CACHES[alias]
    backend = _backend(alias)  # None: Django's own cache checks and first use report it
    max_entries = config.get('OPTIONS', {}).get('MAX_ENTRIES', 300)
    culls = f'drops counts once it holds {max_entries} entries (MAX_ENTRIES)'
    reasons = [
        (DummyCache, 'counts nothing, so no login is ever throttled'),
        (LocMemCache, f'counts in each server process on its own, and {culls}'),
        (FileBasedCache, f'{culls}, and does not count atomically'),
        (BaseDatabaseCache, f'{culls}, and does not count atomically'),
        (BaseMemcachedCache, 'evicts counts when its memory is full'),
    ]
    reason = _flaw(backend, reasons)
    if reason is None:
        return []
    return [
        checks.Warning(
            f'DJWTO_LOGIN_THROTTLE_CACHE counts failed logins in the cache {alias!r} '
            f'({config["BACKEND"]}), which {reason}: password guesses can pass the throttle.',
            hint='Count them in Redis, shared by every server process: '
            "CACHES[...]['BACKEND'] = 'django.core.cache.backends.redis.RedisCache'.",
            obj='DJWTO_LOGIN_THROTTLE_CACHE',
            id='gql_djwto.W005',
        )
    ]


@checks.register(checks.Tags.security, checks.Tags.caches)
def check_revocation(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when revocations cannot reach every server, or cannot be told by time or session."""
    try:
        alias = djwto_settings.REVOCATION_CACHE
        revoke_all = djwto_settings.REVOKE_ALL
    except ImproperlyConfigured:
        return []  # reported by check_settings
    messages: list[checks.CheckMessage] = []
    backend = _backend(alias) if alias is not None else None
    flaws = [
        (DummyCache, 'remembers nothing'),
        (LocMemCache, 'is per process: a revocation through one process is not seen by the others'),
        (
            (FileBasedCache, BaseDatabaseCache, BaseMemcachedCache),
            'drops entries when full, and a revoked token whose entry is dropped passes again',
        ),
    ]
    flaw = _flaw(backend, flaws)
    if flaw is not None and alias is not None:
        messages.append(
            checks.Warning(
                f'DJWTO_REVOCATION_CACHE names the cache {alias!r} ({settings.CACHES[alias]["BACKEND"]}), '
                f'which {flaw}: revoked access tokens may still be accepted.',
                hint='Use Redis (maxmemory-policy noeviction) shared by every server: '
                "CACHES[...]['BACKEND'] = 'django.core.cache.backends.redis.RedisCache'.",
                obj='DJWTO_REVOCATION_CACHE',
                id='gql_djwto.W010',
            )
        )
    if revoke_all and not djwto_settings.IAT_CLAIM:
        messages.append(
            checks.Warning(
                'DJWTO_REVOKE_ALL is on but DJWTO_IAT_CLAIM is False: tokens carry no iat, so no '
                'cutoff can refuse them (revokeAll answers an error; a password change ends nothing).',
                hint='Leave DJWTO_IAT_CLAIM at True.',
                obj='DJWTO_REVOKE_ALL',
                id='gql_djwto.W011',
            )
        )
    if alias is not None and not djwto_settings.JTI_CLAIM:
        messages.append(
            checks.Warning(
                'DJWTO_REVOCATION_CACHE is set but DJWTO_JTI_CLAIM is False: access tokens carry no '
                'session jti, so revoking one session cannot reach them.',
                hint='Leave DJWTO_JTI_CLAIM at True.',
                obj='DJWTO_REVOCATION_CACHE',
                id='gql_djwto.W012',
            )
        )
    return messages
