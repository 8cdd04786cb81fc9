"""The revocation cache (ours): revocations that reach access tokens at once.

djwto's blacklist is read when a refresh token is used; an access token of
a revoked session stays good until it expires. With DJWTO_REVOCATION_CACHE
(a ``CACHES`` alias, Redis in production) every revocation is also written
there, and every access token is looked up there when it is read: the
session's ``jti``, and with DJWTO_REVOKE_ALL its user's cutoff (tokens
issued before it are refused). One ``get_many`` per request, whatever the
document reads. An entry lives as long as an access token issued now can
(the access lifetime, else the refresh lifetime), so the cache holds only
what can still matter. When the cache fails, tokens are refused (fail
closed) unless DJWTO_REVOCATION_FAIL_OPEN; both are logged, tokens never.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver

from . import errors
from .claims import Claims
from .errors import InvalidToken, Reason, Refused
from .revocation_tracking import tracker_for
from .settings import djwto_settings

KEY_PREFIX = 'gql_djwto:revoked'
# Seconds an entry outlives the tokens it refuses: servers' clocks differ a little.
CLOCK_MARGIN = 30

logger = logging.getLogger('gql_djwto')


def jti_key(jti: Any) -> str:
    """The cache key of a revoked session (hashed: a jti may be long or hold any character)."""
    digest = hashlib.sha256(str(jti).encode('utf-8', 'surrogatepass')).hexdigest()
    return f'{KEY_PREFIX}:jti:{digest}'


def user_key(user_id: Any) -> str:
    """The cache key of a user's cutoff, by primary key (a rename keeps it)."""
    digest = hashlib.sha256(str(user_id).encode('utf-8', 'surrogatepass')).hexdigest()
    return f'{KEY_PREFIX}:user:{digest}'


def entry_lifetime() -> int | None:
    """Seconds the longest-lived access token issued now stays valid; None: for ever.

    An access token expires its lifetime after it is issued; without one it
    keeps its refresh token's ``exp``, which an update sets at most the
    refresh lifetime from now.
    """
    lifetime = djwto_settings.ACCESS_TOKEN_LIFETIME or djwto_settings.REFRESH_TOKEN_LIFETIME
    if lifetime is None:
        return None
    return int(lifetime.total_seconds()) + CLOCK_MARGIN


def _record(key: str, value: Any, what: str) -> None:
    alias = djwto_settings.REVOCATION_CACHE
    if alias is None:
        return
    try:
        cache = caches[alias]
        cache.set(key, value, timeout=entry_lifetime())
        reader = _reader(alias)
        if reader is not None and reader.tracker is not None:
            reader.tracker.forget(reader.make_key(key))
    except Exception as error:  # noqa: BLE001 - whatever the cache backend raises: the database row stands
        logger.error(
            'Revocation cache %r failed while recording %s: %s: %s; access tokens '
            'it covers stay good until they expire.',
            alias,
            what,
            type(error).__name__,
            error,
        )


def record_revoked_jti(jti: Any) -> None:
    """Refuse the access tokens of session ``jti`` from now on (when the cache is configured)."""
    _record(jti_key(jti), 1, 'a revoked session')


def record_user_cutoff(user_id: Any, not_before: float) -> None:
    """Refuse ``user_id``'s access tokens issued before ``not_before`` (epoch seconds)."""
    _record(user_key(user_id), not_before, "a user's cutoff")


def _claim_keys(claims: Claims, cutoffs: bool) -> tuple[str | None, str | None]:
    jti = claims.get('jti')
    user = claims.get('user')
    user_id = user.get('id') if isinstance(user, dict) and cutoffs else None
    return (
        jti_key(jti) if jti else None,
        user_key(user_id) if user_id is not None and 'iat' in claims else None,
    )


# Django's RedisCache builds a new redis-py client for every call, which costs
# four times the round trip itself; the client is kept per cache instance
# (Django keeps one per thread), with its primary's pool, and with the
# process's Tracker of that Redis (gql_djwto.revocation_tracking), which
# answers most lookups without a round trip.
class _RedisReader:
    def __init__(self, cache: RedisCache) -> None:
        client = cache._cache  # Django's RedisCacheClient
        self.redis = client.get_client(write=True)
        # Django's serializer is private, so django-stubs does not declare it.
        self.loads = client._serializer.loads  # type: ignore[attr-defined]
        self.make_key = cache.make_key
        prefix = cache.make_key(KEY_PREFIX)
        # A KEY_FUNCTION of the project's own may not keep our keys under one prefix.
        tracked = all(self.make_key(key).startswith(prefix) for key in (jti_key(''), user_key('')))
        self.tracker = tracker_for(self.redis.connection_pool, prefix) if tracked else None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        names = [self.make_key(key) for key in keys]
        epoch = None
        if self.tracker is not None:
            known, epoch = self.tracker.lookup(names)
            if known is not None:
                return {
                    key: known[name] for key, name in zip(keys, names, strict=True) if known[name] is not None
                }
        values = [None if value is None else self.loads(value) for value in self.redis.mget(names)]
        if self.tracker is not None:
            self.tracker.remember(dict(zip(names, values, strict=True)), epoch)
        return {key: value for key, value in zip(keys, values, strict=True) if value is not None}


# Per alias, for the whole process: the reader of a RedisCache (its client and
# tracker are thread-safe), None for another backend. Looking a cache up in
# ``caches`` costs more than the tracked lookup itself.
_readers: dict[str, _RedisReader | None] = {}


def _reader(alias: str) -> _RedisReader | None:
    try:
        return _readers[alias]
    except KeyError:
        cache = caches[alias]
        reader = _readers[alias] = _RedisReader(cache) if isinstance(cache, RedisCache) else None
        return reader


@receiver(setting_changed)
def _forget_readers(setting: str, **kwargs: Any) -> None:
    if setting == 'CACHES':
        _readers.clear()


def _fetch(known: dict[str, Any], alias: str, keys: list[str]) -> dict[str, Any]:
    """Return the cache's entries for ``keys``, asking the cache for those not ``known`` yet.

    ``known`` is the request's: tokens read later in the request (one an
    operation issued) are of the same session and user, so the cache is
    asked once per request. Django's RedisCache is read through the
    process's copy, else with one MGET on its primary (the server Django
    writes to), never a replica that may not have a revocation yet.
    """
    missing = [key for key in keys if key not in known]
    if missing:
        reader = _reader(alias)
        found = reader.get_many(missing) if reader is not None else caches[alias].get_many(missing)
        for key in missing:
            known[key] = found.get(key)
    return known


def refuse_revoked_access(known: dict[str, Any], claims: Claims) -> None:
    """Raise InvalidToken if the access token's session or user has been revoked.

    ``known`` holds the entries this request has read already. Nothing happens without DJWTO_REVOCATION_CACHE. A failing cache refuses
    the token (Refused, logged), or with DJWTO_REVOCATION_FAIL_OPEN lets it
    pass (logged).
    """
    alias = djwto_settings.REVOCATION_CACHE
    if alias is None:
        return
    session, user = _claim_keys(claims, djwto_settings.REVOKE_ALL)
    keys = [key for key in (session, user) if key is not None]
    if not keys:
        return
    try:
        entries = _fetch(known, alias, keys)
    except Exception as error:  # noqa: BLE001 - whatever the cache backend raises
        fail_open = djwto_settings.REVOCATION_FAIL_OPEN
        logger.error(
            'Revocation cache %r failed while checking an access token: %s: %s; %s.',
            alias,
            type(error).__name__,
            error,
            'accepted (DJWTO_REVOCATION_FAIL_OPEN)' if fail_open else 'refused',
        )
        if fail_open:
            return
        raise Refused(errors.LOGIN_NOT_PROCESSED) from None
    if session is not None and entries.get(session) is not None:
        raise InvalidToken(errors.TOKEN_REVOKED, reason=Reason.TOKEN_REVOKED)
    not_before = entries.get(user) if user is not None else None
    if not_before is not None and claims['iat'] < not_before:
        raise InvalidToken(errors.TOKEN_REVOKED, reason=Reason.TOKEN_REVOKED)
