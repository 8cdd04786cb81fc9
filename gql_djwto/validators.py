"""What a valid value of each DJWTO_* setting is: one check per setting.

Each validator takes the setting's name and value and raises
ImproperlyConfigured naming the setting (never showing a key's value).
``gql_djwto.settings`` applies them as values are read, and the system
checks report them at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .modes import JSON, MODES, ONE_COOKIE, TWO_COOKIES

REFRESH_CLAIMS = ('keep', 'reissue')
GRAPHIQL_ASSETS = ('static', 'cdn')

# What DJWTO_REQUEST_USER may be: request.user from the token's claims, from
# the database, or left to Django (None).
REQUEST_USER_TOKEN = 'token'
REQUEST_USER_DATABASE = 'database'

HANDLERS = (
    'DJWTO_CLAIMS_HANDLER',
    'DJWTO_USER_CLAIMS_HANDLER',
    'DJWTO_PERMS_HANDLER',
    'DJWTO_AUTHENTICATE_HANDLER',
)


# Settings whose values never appear in a message.
SECRET_SETTINGS = frozenset(
    {
        'DJWTO_SIGNING_KEY',
        'DJWTO_VERIFYING_KEY',
        'DJWTO_SIGNING_KEY_FALLBACKS',
        'DJWTO_VERIFYING_KEY_FALLBACKS',
    }
)


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
            f'{name} is not set: define it in your settings or in the DJWTO_SIGNING_KEY environment variable.'
        )
    if not isinstance(value, (str, bytes)):
        raise _bad(name, 'a str or bytes', value)


def _verifying_key(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, (str, bytes)):
        raise _bad(name, 'a str, bytes or None', value)


def _key_id(name: str, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise _bad(name, 'a non-empty str or None', value)


def _key_fallbacks(name: str, value: Any) -> None:
    """A list of keys, each a str or bytes, or a dict {'kid': str, 'key': str or bytes}."""
    expected = "a list of keys (str or bytes) or of {'kid': str, 'key': key} dicts"
    if not isinstance(value, (list, tuple)):
        raise _bad(name, expected, value)
    for index, entry in enumerate(value):
        if isinstance(entry, dict):
            if set(entry) != {'kid', 'key'}:
                raise ImproperlyConfigured(
                    f"{name}[{index}] must have exactly the items 'kid' and 'key'; "
                    f'got {sorted(map(str, entry))}.'
                )
            _key_id(f'{name}[{index}]["kid"]', entry['kid'])
        key = entry['key'] if isinstance(entry, dict) else entry
        if not isinstance(key, (str, bytes)) or not key:
            raise ImproperlyConfigured(  # the type only: never a key's value
                f'{name}[{index}] must be a non-empty str or bytes; got {type(key).__name__}.'
            )


def _leeway(name: str, value: Any) -> None:
    if not isinstance(value, timedelta) or value.total_seconds() < 0:
        raise _bad(name, 'a non-negative datetime.timedelta', value)


def _algorithm(name: str, value: Any) -> None:
    supported = sorted(jwt.algorithms.get_default_algorithms())
    if value not in supported or value == 'none':
        choices = ', '.join(a for a in supported if a != 'none')
        raise ImproperlyConfigured(f'{name} must be one of {choices}; got {value!r}.')


def _mode(name: str, value: Any) -> None:
    if value not in MODES:
        raise ImproperlyConfigured(
            f'{name} must be "{JSON}", "{ONE_COOKIE}" or "{TWO_COOKIES}"; got {value!r}.'
        )


def _cookie_path(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip('/'):
        raise _bad(name, 'a non-empty URL path such as "api/token/refresh"', value)
    if value.startswith('/') or value.endswith('/'):
        raise ImproperlyConfigured(
            f'{name} must have no leading or trailing slash, as in "api/token/refresh"; got {value!r}.'
        )


def _same_site(name: str, value: Any) -> None:
    if value in (None, False):
        return
    if not isinstance(value, str) or value.lower() not in ('lax', 'strict', 'none'):
        raise _bad(name, '"Lax", "Strict", "None" or None', value)


def _choice(choices: dict[str, str]) -> Callable[[str, Any], None]:
    """Return a validator accepting the keys of ``choices``; their values say what each does."""
    described = ' or '.join(f'"{choice}" ({meaning})' for choice, meaning in choices.items())

    def validate(name: str, value: Any) -> None:
        if value not in choices:
            raise ImproperlyConfigured(f'{name} must be {described}; got {value!r}.')

    return validate


_graphiql_assets = _choice(
    dict(
        zip(
            GRAPHIQL_ASSETS,
            ("gql_djwto's copies of GraphiQL's files", "graphene-django's jsDelivr URLs"),
            strict=True,
        )
    )
)
_refresh_claims = _choice(
    dict(
        zip(
            REFRESH_CLAIMS,
            ("the refresh token's claims, as djwto", 'rebuilt from the database by DJWTO_CLAIMS_HANDLER'),
            strict=True,
        )
    )
)


def _grace(name: str, value: Any) -> None:
    if not isinstance(value, timedelta) or value.total_seconds() < 0:
        raise _bad(name, 'a non-negative datetime.timedelta (0: no grace)', value)


def _request_user(name: str, value: Any) -> None:
    if value not in (REQUEST_USER_TOKEN, REQUEST_USER_DATABASE, None):
        raise _bad(name, f'{REQUEST_USER_TOKEN!r}, {REQUEST_USER_DATABASE!r} or None', value)


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


def _optional_cache_alias(name: str, value: Any) -> None:
    if value is not None:
        _cache_alias(name, value)


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
    'DJWTO_GRAPHIQL_ASSETS': _graphiql_assets,
    'DJWTO_DOCUMENT_CACHE_SIZE': _count,
    'DJWTO_DOCUMENT_CACHE_BYTES': _count,
    'DJWTO_MAX_QUERY_DEPTH': _count,
    'DJWTO_MAX_ALIASES': _count,
    'DJWTO_MAX_QUERY_TOKENS': _count,
    'DJWTO_LOGIN_FAILURES_PER_USERNAME': _count,
    'DJWTO_LOGIN_FAILURES_PER_ADDRESS': _count,
    'DJWTO_LOGIN_FAILURE_WINDOW': _window,
    'DJWTO_LOGIN_THROTTLE_CACHE': _cache_alias,
    'DJWTO_REVOCATION_CACHE': _optional_cache_alias,
    'DJWTO_REVOCATION_FAIL_OPEN': _flag,
    'DJWTO_REVOKE_ALL': _flag,
    'DJWTO_REQUEST_USER': _request_user,
    **dict.fromkeys(HANDLERS, _handler),
    'DJWTO_ROTATE_REFRESH_TOKENS': _flag,
    'DJWTO_ROTATION_GRACE': _grace,
    'DJWTO_REFRESH_CLAIMS': _refresh_claims,
    'DJWTO_MAX_SESSION_LIFETIME': _lifetime,
    'DJWTO_KEY_ID': _key_id,
    'DJWTO_SIGNING_KEY_FALLBACKS': _key_fallbacks,
    'DJWTO_VERIFYING_KEY_FALLBACKS': _key_fallbacks,
    'DJWTO_LEEWAY': _leeway,
}
