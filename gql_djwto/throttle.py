"""Login throttling (ours; djwto has none).

Failed logins are counted per username and per client address in Django's
cache, in fixed windows of DJWTO_LOGIN_FAILURE_WINDOW. Every attempt first
reserves its place in the counts with the cache's atomic ``incr``, and is
refused without a password check when a count passes its limit; so
concurrent guesses cannot all slip under the limit together. A failed
attempt keeps its place (it is the failure counted); a successful one gives
the address's place back and clears the username's count.

Usernames are counted in the form the login form authenticates with
(stripped, NFKC), case-folded, so ``alice``, `` ALICE`` and their
fullwidth or mathematical look-alikes share one count. The cache must be
one that every server process shares and that never evicts a count: Redis
(system check gql_djwto.W005 says so). When the cache fails, logins are
refused (fail closed) and the cause is logged, not sent.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

from . import errors
from .errors import Refused, Throttled
from .settings import djwto_settings

KEY_PREFIX = 'gql_djwto:login-failures'

logger = logging.getLogger('gql_djwto')


def _username_max_length() -> int:
    """The length past which Django's login form leaves a username unnormalised."""
    User = get_user_model()
    # As Django's AuthenticationForm reads it (a reverse relation has no max_length).
    max_length: int | None = getattr(User._meta.get_field(User.USERNAME_FIELD), 'max_length', None)
    return max_length or 254


def normalised_username(username: str) -> str:
    """Return ``username`` as Django's login form reads it (stripped, then NFKC), case-folded.

    Like the form, text too long to be a username is not normalised (it costs
    time, and no stored username is that long); it is still case-folded.
    """
    read = username.strip()
    if len(read) > _username_max_length():
        return read.casefold()
    return unicodedata.normalize('NFKC', unicodedata.normalize('NFKC', read).casefold())


def _username_key(username: str) -> str:
    text = normalised_username(username).encode('utf-8', 'surrogatepass')
    return f'{KEY_PREFIX}:username:{hashlib.sha256(text).hexdigest()}'


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """Return (cache key, limit) for each count that applies to this attempt."""
    keys = []
    per_username = djwto_settings.LOGIN_FAILURES_PER_USERNAME
    if per_username:
        keys.append((_username_key(username), per_username))
    per_address = djwto_settings.LOGIN_FAILURES_PER_ADDRESS
    address = request.META.get('REMOTE_ADDR')
    if per_address and address:
        keys.append((f'{KEY_PREFIX}:address:{address}', per_address))
    return keys


def _window_seconds() -> int:
    return max(1, int(djwto_settings.LOGIN_FAILURE_WINDOW.total_seconds()))


def _log_cache_failure(alias: str, doing: str, error: Exception) -> None:
    logger.error('Login throttle cache %r failed while %s: %s: %s', alias, doing, type(error).__name__, error)


def _increment(cache: BaseCache, key: str, window: int) -> int:
    """Add one to the count at ``key``, opening a window when there is none; return the count."""
    opened = cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this opens the next one
        cache.set(key, 1, timeout=window)
        return 1
    if count == 1 and not opened:
        # The key expired between add and incr, and Redis's INCR re-created it
        # with no expiry: give it the window.
        cache.touch(key, window)
    return count


def _give_back(cache: BaseCache, key: str, window: int) -> None:
    """Take one off the count at ``key``, if its window is still open."""
    try:
        count = cache.decr(key)
    except ValueError:  # the window ended (or a success cleared the count): nothing to return
        return
    if count < 0:
        # Below zero, the key expired before decr and Redis's DECR re-created it
        # with no expiry (an existing key keeps its own): as in _increment.
        cache.touch(key, window)


@dataclass
class Attempt:
    """One login attempt's places in the failure counts: kept if it fails, given back if not."""

    alias: str
    keys: list[str] = field(default_factory=list)

    def release(self, *, forget_username: bool = False) -> None:
        """Give every place back; with ``forget_username``, clear the username's count instead.

        A cache failing here is logged only: a place kept makes a count stricter, never laxer.
        """
        if not self.keys:
            return
        cache, window = caches[self.alias], _window_seconds()
        try:
            for key in self.keys:
                if forget_username and ':username:' in key:
                    cache.delete(key)
                else:
                    _give_back(cache, key, window)
        except Exception as error:  # noqa: BLE001 - whatever the cache backend raises
            _log_cache_failure(self.alias, 'giving back a login attempt', error)
        self.keys = []

    def succeeded(self) -> None:
        """Free the address's place and clear the username's failures after a good login."""
        self.release(forget_username=True)


def reserve_attempt(request: HttpRequest, username: str) -> Attempt:
    """Count this attempt now; raise Throttled if that passes a limit, Refused if the cache fails."""
    alias = djwto_settings.LOGIN_THROTTLE_CACHE
    attempt = Attempt(alias)
    keys = _keys(request, username)
    if not keys:
        return attempt
    window = _window_seconds()
    try:
        cache = caches[alias]
        counts = []
        for key, _ in keys:
            counts.append(_increment(cache, key, window))
            attempt.keys.append(key)
    except Exception as error:  # noqa: BLE001 - Redis down, a full disk, a locked table: fail closed
        _log_cache_failure(alias, 'counting a login attempt', error)
        raise Refused(errors.LOGIN_NOT_PROCESSED) from None
    if any(count > limit for count, (_, limit) in zip(counts, keys, strict=True)):
        attempt.release()  # a refused attempt checks no password: it is not a failure
        minutes = max(1, window // 60)
        raise Throttled(errors.login_throttled(minutes))
    return attempt
