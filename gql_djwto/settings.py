"""djwto's settings, read lazily from ``django.conf.settings`` and validated.

Every name and default matches djwto, so a project that used djwto keeps its
settings as they are. Settings marked "ours" are gql_djwto's additions.
Values are read on first use and forgotten whenever ``setting_changed`` fires
for a ``DJWTO_*`` name, so ``override_settings`` just works.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from . import modes
from .validators import HANDLERS, VALIDATORS

if TYPE_CHECKING:
    from django.http import HttpRequest

T = TypeVar('T')

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
    'DJWTO_MODE': modes.JSON,
    'DJWTO_REFRESH_COOKIE_PATH': 'api/token/refresh',
    'DJWTO_SAME_SITE': 'Lax',
    'DJWTO_DOMAIN': None,
    'DJWTO_CSRF': True,
    # Ours.
    'DJWTO_COOKIE_SECURE': True,
    'DJWTO_GRAPHIQL': None,  # None: follow DEBUG
    'DJWTO_GRAPHIQL_ASSETS': 'static',  # or 'cdn': graphene-django's jsDelivr files
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
    # Revocation (ours): see gql_djwto/revocation.py and gql_djwto/sessions.py.
    'DJWTO_REVOCATION_CACHE': None,  # a CACHES alias: revocations reach access tokens at once
    'DJWTO_REVOCATION_FAIL_OPEN': False,  # True: accept tokens while that cache is down
    'DJWTO_REVOKE_ALL': False,  # per-user cutoffs: revokeAll, password change, deactivation
    # Sessions (ours): see the README's "Sessions".
    'DJWTO_ROTATE_REFRESH_TOKENS': False,
    'DJWTO_ROTATION_GRACE': timedelta(seconds=10),
    'DJWTO_REFRESH_CLAIMS': 'keep',  # or 'reissue': rebuilt from the database on every refresh
    'DJWTO_MAX_SESSION_LIFETIME': None,  # None: updateRefresh extends a session forever, as djwto
    # None: request.user is Django's, as with djwto; 'token' or 'database' (authentication.py).
    'DJWTO_REQUEST_USER': None,
    # Keys that rotate (gql_djwto.keys).
    'DJWTO_KEY_ID': None,  # the kid header; None: the JWK thumbprint for asymmetric keys, none for HMAC
    'DJWTO_SIGNING_KEY_FALLBACKS': (),  # older HMAC secrets that still verify
    'DJWTO_VERIFYING_KEY_FALLBACKS': (),  # older public keys that still verify
    'DJWTO_LEEWAY': timedelta(0),  # clock skew allowed for exp, nbf and iat
}


# Django settings that a DJWTO_* value follows by default.
FOLLOWED_DJANGO_SETTINGS = frozenset({'DEBUG'})


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

    # What each setting is once validated (gql_djwto.validators), for type checkers: the
    # values themselves come from __getattr__. tests/test_typing.py keeps this list whole.
    ISS_CLAIM: str | None
    SUB_CLAIM: str | None
    AUD_CLAIM: str | list[str] | tuple[str, ...] | None
    IAT_CLAIM: bool
    JTI_CLAIM: bool
    ALLOW_REFRESH_UPDATE: bool
    ACCESS_TOKEN_LIFETIME: timedelta | None
    REFRESH_TOKEN_LIFETIME: timedelta | None
    NBF_LIFETIME: timedelta | None  # 0 or None: no nbf claim
    SIGNING_KEY: str | bytes
    VERIFYING_KEY: str | bytes | None
    ALGORITHM: str
    MODE: str
    REFRESH_COOKIE_PATH: str
    SAME_SITE: str | Literal[False] | None  # 'Lax', 'Strict', 'None' (any case); None or False: no attribute
    DOMAIN: str | None
    CSRF: bool
    COOKIE_SECURE: bool
    GRAPHIQL: bool
    GRAPHIQL_ASSETS: str
    DOCUMENT_CACHE_SIZE: int
    DOCUMENT_CACHE_BYTES: int
    MAX_QUERY_DEPTH: int
    MAX_ALIASES: int
    MAX_QUERY_TOKENS: int
    LOGIN_FAILURES_PER_USERNAME: int
    LOGIN_FAILURES_PER_ADDRESS: int
    LOGIN_FAILURE_WINDOW: timedelta
    LOGIN_THROTTLE_CACHE: str
    CLAIMS_HANDLER: Callable[[Any, HttpRequest | None], dict[str, Any]]
    USER_CLAIMS_HANDLER: Callable[[Any], dict[str, Any]]
    PERMS_HANDLER: Callable[[Any], list[str]]
    AUTHENTICATE_HANDLER: Callable[[HttpRequest, str, str], Any]
    REVOCATION_CACHE: str | None
    REVOCATION_FAIL_OPEN: bool
    REVOKE_ALL: bool
    ROTATE_REFRESH_TOKENS: bool
    ROTATION_GRACE: timedelta
    REFRESH_CLAIMS: str
    MAX_SESSION_LIFETIME: timedelta | None
    REQUEST_USER: str | None
    KEY_ID: str | None
    SIGNING_KEY_FALLBACKS: Sequence[str | bytes | dict[str, Any]]
    VERIFYING_KEY_FALLBACKS: Sequence[str | bytes | dict[str, Any]]
    LEEWAY: timedelta

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

    def derived(self, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """Return ``compute()``, a value made from settings, kept and forgotten with them."""
        values, generation, source = self._current()
        try:
            return cast(T, values[key])  # kept by the same compute, under the same key
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
        return self.MODE in modes.COOKIE_MODES

    @property
    def csrf_enforced(self) -> bool:
        return self.CSRF and self.MODE in modes.COOKIE_MODES

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
