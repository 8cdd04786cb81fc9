"""djwto's settings, read lazily from ``django.conf.settings`` and validated.

Every name and default matches djwto, so a project that used djwto keeps its
settings as they are. Settings marked "ours" are gql_djwto's additions.
Values are read on first use and forgotten whenever ``setting_changed`` fires
for a ``DJWTO_*`` name, so ``override_settings`` just works.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from datetime import timedelta
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

MODES = ('JSON', 'ONE-COOKIE', 'TWO-COOKIES')
COOKIE_MODES = ('ONE-COOKIE', 'TWO-COOKIES')
ASYMMETRIC_PREFIXES = ('RS', 'PS', 'ES', 'Ed')

DEFAULTS: dict[str, Any] = {
    'DJWTO_ISS_CLAIM': None,
    'DJWTO_SUB_CLAIM': None,
    'DJWTO_AUD_CLAIM': None,
    'DJWTO_IAT_CLAIM': True,
    'DJWTO_JTI_CLAIM': True,
    'DJWTO_ALLOW_REFRESH_UPDATE': True,
    'DJWTO_ACCESS_TOKEN_LIFETIME': timedelta(minutes=5),
    'DJWTO_REFRESH_TOKEN_LIFETIME': timedelta(days=1),
    'DJWTO_NBF_LIFETIME': timedelta(0),
    'DJWTO_SIGNING_KEY': None,
    'DJWTO_VERIFYING_KEY': None,
    'DJWTO_ALGORITHM': 'HS256',
    'DJWTO_MODE': 'JSON',
    'DJWTO_REFRESH_COOKIE_PATH': 'api/token/refresh',
    'DJWTO_SAME_SITE': 'Lax',
    'DJWTO_DOMAIN': None,
    'DJWTO_CSRF': True,
    # Ours.
    'DJWTO_COOKIE_SECURE': True,
    'DJWTO_GRAPHIQL': None,  # None: follow DEBUG
    'DJWTO_DOCUMENT_CACHE_SIZE': 256,
    'DJWTO_DOCUMENT_CACHE_BYTES': 8 * 1024 * 1024,
    'DJWTO_MAX_QUERY_DEPTH': 20,
    'DJWTO_MAX_ALIASES': 100,
    'DJWTO_MAX_QUERY_TOKENS': 10_000,
    'DJWTO_LOGIN_FAILURES_PER_USERNAME': 10,
    'DJWTO_LOGIN_FAILURES_PER_ADDRESS': 100,
    'DJWTO_LOGIN_FAILURE_WINDOW': timedelta(minutes=15),
    'DJWTO_LOGIN_THROTTLE_CACHE': 'default',
    'DJWTO_CLAIMS_HANDLER': 'gql_djwto.claims.build_refresh_claims',
    'DJWTO_USER_CLAIMS_HANDLER': 'gql_djwto.claims.user_claims',
    'DJWTO_PERMS_HANDLER': 'gql_djwto.claims.user_perms',
    'DJWTO_AUTHENTICATE_HANDLER': 'gql_djwto.service.authenticate_user',
}

HANDLERS = (
    'DJWTO_CLAIMS_HANDLER',
    'DJWTO_USER_CLAIMS_HANDLER',
    'DJWTO_PERMS_HANDLER',
    'DJWTO_AUTHENTICATE_HANDLER',
)


# Django settings that a DJWTO_* value follows by default.
FOLLOWED_DJANGO_SETTINGS = frozenset({'DEBUG'})

# Settings whose values never appear in a message.
SECRET_SETTINGS = frozenset({'DJWTO_SIGNING_KEY', 'DJWTO_VERIFYING_KEY'})


def _bad(name: str, expected: str, value: Any) -> ImproperlyConfigured:
    shown = type(value).__name__ if name in SECRET_SETTINGS else f'{type(value).__name__} {value!r}'
    return ImproperlyConfigured(f'{name} must be {expected}; got {shown}.')


def _optional_str(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise _bad(name, 'a str or None', value)


def _audience(name: str, value: Any) -> None:
    if value is None or isinstance(value, str):
        return
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return
    raise _bad(name, 'a str, a list of str or None', value)


def _flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise _bad(name, 'True or False', value)


def _lifetime(name: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, timedelta):
        raise _bad(name, 'a datetime.timedelta or None', value)
    if value.total_seconds() <= 0:
        raise ImproperlyConfigured(f'{name} must be a positive timedelta; got {value!r}.')


def _nbf(name: str, value: Any) -> None:
    if not value:
        return
    if not isinstance(value, timedelta) or value.total_seconds() < 0:
        raise _bad(name, 'a non-negative datetime.timedelta, 0 or None', value)


def _signing_key(name: str, value: Any) -> None:
    if not value:
        raise ImproperlyConfigured(
            f'{name} is not set: define it in your settings or in the '
            'DJWTO_SIGNING_KEY environment variable.'
        )
    if not isinstance(value, (str, bytes)):
        raise _bad(name, 'a str or bytes', value)


def _verifying_key(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, (str, bytes)):
        raise _bad(name, 'a str, bytes or None', value)


def _algorithm(name: str, value: Any) -> None:
    supported = sorted(jwt.algorithms.get_default_algorithms())
    if value not in supported or value == 'none':
        choices = ', '.join(a for a in supported if a != 'none')
        raise ImproperlyConfigured(f'{name} must be one of {choices}; got {value!r}.')


def _mode(name: str, value: Any) -> None:
    if value not in MODES:
        raise ImproperlyConfigured(
            f'{name} must be "JSON", "ONE-COOKIE" or "TWO-COOKIES"; got {value!r}.'
        )


def _cookie_path(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip('/'):
        raise _bad(name, 'a non-empty URL path such as "api/token/refresh"', value)
    if value.startswith('/') or value.endswith('/'):
        raise ImproperlyConfigured(
            f'{name} must have no leading or trailing slash, as in '
            f'"api/token/refresh"; got {value!r}.'
        )


def _same_site(name: str, value: Any) -> None:
    if value in (None, False):
        return
    if not isinstance(value, str) or value.lower() not in ('lax', 'strict', 'none'):
        raise _bad(name, '"Lax", "Strict", "None" or None', value)


def _count(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(name, 'a whole number of 0 or more', value)


def _window(name: str, value: Any) -> None:
    if not isinstance(value, timedelta) or value.total_seconds() < 1:
        raise _bad(name, 'a datetime.timedelta of a second or more', value)


def _cache_alias(name: str, value: Any) -> None:
    if value not in settings.CACHES:
        raise ImproperlyConfigured(
            f'{name} must name one of the CACHES ({", ".join(settings.CACHES)}); got {value!r}.'
        )


def _handler(name: str, value: Any) -> None:
    if callable(value):
        return
    if not isinstance(value, str):
        raise _bad(name, 'a dotted path or a callable', value)
    try:
        handler = import_string(value)
    except ImportError as error:
        raise ImproperlyConfigured(f'{name} could not be imported: {error}') from None
    if not callable(handler):
        raise ImproperlyConfigured(f'{name} must name a callable; {value!r} is not one.')


VALIDATORS: dict[str, Callable[[str, Any], None]] = {
    'DJWTO_ISS_CLAIM': _optional_str,
    'DJWTO_SUB_CLAIM': _optional_str,
    'DJWTO_AUD_CLAIM': _audience,
    'DJWTO_IAT_CLAIM': _flag,
    'DJWTO_JTI_CLAIM': _flag,
    'DJWTO_ALLOW_REFRESH_UPDATE': _flag,
    'DJWTO_ACCESS_TOKEN_LIFETIME': _lifetime,
    'DJWTO_REFRESH_TOKEN_LIFETIME': _lifetime,
    'DJWTO_NBF_LIFETIME': _nbf,
    'DJWTO_SIGNING_KEY': _signing_key,
    'DJWTO_VERIFYING_KEY': _verifying_key,
    'DJWTO_ALGORITHM': _algorithm,
    'DJWTO_MODE': _mode,
    'DJWTO_REFRESH_COOKIE_PATH': _cookie_path,
    'DJWTO_SAME_SITE': _same_site,
    'DJWTO_DOMAIN': _optional_str,
    'DJWTO_CSRF': _flag,
    'DJWTO_COOKIE_SECURE': _flag,
    'DJWTO_GRAPHIQL': _flag,
    'DJWTO_DOCUMENT_CACHE_SIZE': _count,
    'DJWTO_DOCUMENT_CACHE_BYTES': _count,
    'DJWTO_MAX_QUERY_DEPTH': _count,
    'DJWTO_MAX_ALIASES': _count,
    'DJWTO_MAX_QUERY_TOKENS': _count,
    'DJWTO_LOGIN_FAILURES_PER_USERNAME': _count,
    'DJWTO_LOGIN_FAILURES_PER_ADDRESS': _count,
    'DJWTO_LOGIN_FAILURE_WINDOW': _window,
    'DJWTO_LOGIN_THROTTLE_CACHE': _cache_alias,
    **{name: _handler for name in HANDLERS},
}


def raw_value(name: str) -> Any:
    """Return the configured value of ``name``, or its default."""
    value = getattr(settings, name, DEFAULTS[name])
    if name == 'DJWTO_SIGNING_KEY' and value is None:
        value = os.environ.get('DJWTO_SIGNING_KEY')
    if name == 'DJWTO_GRAPHIQL' and value is None:
        value = bool(settings.DEBUG)  # no GraphiQL in production unless asked for
    return value


def validate(name: str) -> Any:
    """Return the value of ``name`` or raise ImproperlyConfigured naming it."""
    value = raw_value(name)
    VALIDATORS[name](name, value)
    return value


class DjwtoSettings:
    """Attribute access to the validated DJWTO_* settings, without the prefix.

    ``djwto_settings.MODE`` is ``settings.DJWTO_MODE`` (or its default);
    handler settings come back imported: ``djwto_settings.PERMS_HANDLER`` is
    the callable itself. Values are kept until ``setting_changed`` fires or
    Django's settings object is swapped (as ``override_settings`` does, also
    when it deletes a setting).
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._source: Any = None
        # Bumped whenever the settings change: a value computed across a
        # change is answered but not kept (see _keep).
        self._generation = 0
        self._lock = threading.Lock()

    def _current(self) -> tuple[dict[Hashable, Any], int, Any]:
        """The values kept for the settings as they are now, their generation and source."""
        source = getattr(settings, '_wrapped', None)
        generation = self._generation
        if source is self._source:  # the common case, without the lock
            return self._values, generation, source
        with self._lock:
            if source is not self._source:
                self._forget()
                self._source = source
            return self._values, self._generation, source

    def _keep(self, key: Hashable, value: Any, generation: int, source: Any) -> None:
        """Keep ``value`` unless the settings changed while it was computed."""
        with self._lock:
            if generation == self._generation and source is getattr(settings, '_wrapped', None):
                self._values[key] = value

    def _forget(self) -> None:
        self._values = {}
        self._generation += 1

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith('_'):
            raise AttributeError(attr)
        values, generation, source = self._current()
        try:
            return values[attr]
        except KeyError:
            pass
        name = f'DJWTO_{attr}'
        if name not in DEFAULTS:
            raise AttributeError(f'Unknown gql_djwto setting: {attr}')
        value = validate(name)
        if name in HANDLERS and isinstance(value, str):
            value = import_string(value)
        self._keep(attr, value, generation, source)
        return value

    def derived(self, key: tuple[Hashable, ...], compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, a value made from settings, kept and forgotten with them."""
        values, generation, source = self._current()
        try:
            return values[key]
        except KeyError:
            pass
        value = compute()
        self._keep(key, value, generation, source)
        return value

    def value_or_default(self, attr: str) -> Any:
        """Return the setting, or its default while it is invalid (the checks report it)."""
        try:
            return getattr(self, attr)
        except ImproperlyConfigured:
            return DEFAULTS[f'DJWTO_{attr}']

    @property
    def is_cookie_mode(self) -> bool:
        return self.MODE in COOKIE_MODES

    @property
    def csrf_enforced(self) -> bool:
        return self.CSRF and self.MODE in COOKIE_MODES

    @property
    def is_asymmetric(self) -> bool:
        return self.ALGORITHM.startswith(ASYMMETRIC_PREFIXES)

    def reload(self) -> None:
        """Forget every value read so far, and any being computed now."""
        with self._lock:
            self._forget()


djwto_settings = DjwtoSettings()


@receiver(setting_changed)
def _reload_djwto_settings(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith('DJWTO_') or setting in FOLLOWED_DJANGO_SETTINGS:
        djwto_settings.reload()
