"""Login throttling (ours; djwto has none).

Failed logins are counted per username and per client address in Django's
cache, in fixed windows of DJWTO_LOGIN_FAILURE_WINDOW. Once a count reaches
its limit, logins for that username or from that address are refused
without checking the password until the window ends. Use a cache that all
server processes share (Redis, Memcached, the database) in production.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.http import HttpRequest

from . import errors
from .errors import Throttled
from .settings import djwto_settings

KEY_PREFIX = 'gql_djwto:login-failures'


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """Return (cache key, limit) for each count that applies to this attempt."""
    keys = []
    per_username = djwto_settings.LOGIN_FAILURES_PER_USERNAME
    if per_username:
        digest = hashlib.sha256(username.casefold().encode()).hexdigest()
        keys.append((f'{KEY_PREFIX}:username:{digest}', per_username))
    per_address = djwto_settings.LOGIN_FAILURES_PER_ADDRESS
    address = request.META.get('REMOTE_ADDR')
    if per_address and address:
        keys.append((f'{KEY_PREFIX}:address:{address}', per_address))
    return keys


def _window_seconds() -> int:
    return max(1, int(djwto_settings.LOGIN_FAILURE_WINDOW.total_seconds()))


def check_not_throttled(request: HttpRequest, username: str) -> None:
    """Raise Throttled if this username or client address failed too often."""
    keys = _keys(request, username)
    if not keys:
        return
    cache = caches[djwto_settings.LOGIN_THROTTLE_CACHE]
    counts = cache.get_many([key for key, _ in keys])
    if any(counts.get(key, 0) >= limit for key, limit in keys):
        minutes = max(1, _window_seconds() // 60)
        raise Throttled(errors.LOGIN_THROTTLED.format(minutes=minutes))


def record_failure(request: HttpRequest, username: str) -> None:
    """Count one failed login for this username and client address."""
    cache = caches[djwto_settings.LOGIN_THROTTLE_CACHE]
    window = _window_seconds()
    for key, _ in _keys(request, username):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=window)


def forget_failures(request: HttpRequest, username: str) -> None:
    """Clear the username's count after a successful login."""
    keys = [key for key, _ in _keys(request, username) if ':username:' in key]
    if keys:
        caches[djwto_settings.LOGIN_THROTTLE_CACHE].delete_many(keys)
