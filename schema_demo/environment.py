"""DJWTO_* settings for the demo, taken from environment variables, its CORS origins and its hashers."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gql_djwto.settings import DEFAULTS

TRUE, FALSE = {'1', 'true', 'yes', 'on'}, {'0', 'false', 'no', 'off'}
# Settings read as seconds; "none" means no lifetime.
LIFETIMES = {'DJWTO_ACCESS_TOKEN_LIFETIME', 'DJWTO_REFRESH_TOKEN_LIFETIME', 'DJWTO_NBF_LIFETIME'}
# True/False settings whose default is None (DJWTO_GRAPHIQL: None follows DEBUG).
OPTIONAL_FLAGS = {'DJWTO_GRAPHIQL'}
# Keys: a PEM, the path of a PEM file, or an HMAC secret itself.
KEYS = {'DJWTO_SIGNING_KEY', 'DJWTO_VERIFYING_KEY'}
# Lists of such keys, separated by commas.
KEY_LISTS = {'DJWTO_SIGNING_KEY_FALLBACKS', 'DJWTO_VERIFYING_KEY_FALLBACKS'}
# A timedelta given in seconds, never None.
SECONDS = {'DJWTO_LEEWAY'}


def key(text: str) -> str:
    """Return the key ``text`` gives: the PEM or secret itself, or the contents of the file it names."""
    if not text.lstrip().startswith('-----BEGIN') and os.path.isfile(text):
        return Path(text).read_text()
    return text


class DemoEnvironmentError(ValueError):
    """An environment variable the demo cannot use; ``python -m schema_demo`` prints it and exits."""


def parse(name: str, text: str) -> Any:
    """Turn the environment's text for ``name`` into the setting's type."""
    default = DEFAULTS[name]
    if name in KEYS:
        return key(text)
    if name in KEY_LISTS:
        return [key(part.strip()) for part in text.split(',') if part.strip()]
    if name in SECONDS:
        try:
            return timedelta(seconds=float(text))
        except ValueError:
            raise DemoEnvironmentError(f'{name} must be a number of seconds, not {text!r}') from None
    if name == 'DJWTO_SAME_SITE' and text.lower() == 'none':
        return 'None'  # SameSite=None, the attribute's own value; not "no attribute"
    if text.lower() in ('none', 'null', ''):
        return None
    if name in LIFETIMES:
        if not (text.isascii() and text.isdigit()):
            raise DemoEnvironmentError(f'{name} must be a whole number of seconds or none, not {text!r}')
        return timedelta(seconds=int(text))
    if isinstance(default, bool) or name in OPTIONAL_FLAGS:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise DemoEnvironmentError(f'{name} must be true or false, not {text!r}')
    if isinstance(default, int):
        return int(text)
    if name == 'DJWTO_AUD_CLAIM' and ',' in text:
        return [part.strip() for part in text.split(',')]
    return text


def djwto_settings_from_environment() -> dict[str, Any]:
    """Return every DJWTO_* setting named in the environment."""
    return {name: parse(name, os.environ[name]) for name in DEFAULTS if name in os.environ}


def parse_origins(text: str) -> list[str]:
    """Turn DEMO_CORS_ORIGINS (``http://localhost:5173, https://app.example.com``) into origins.

    Each must be a bare origin, scheme and host (and port), as browsers send it
    in the Origin header: no path, not even a trailing slash.
    """
    origins = [part.strip() for part in text.split(',') if part.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if (
            parts.scheme not in ('http', 'https')
            or not parts.netloc
            or parts.path
            or parts.query
            or parts.fragment
        ):
            raise DemoEnvironmentError(
                f'DEMO_CORS_ORIGINS: {origin!r} is not an origin such as http://localhost:5173 '
                '(scheme and host, optional port, no path)'
            )
    return origins


def cors_settings_from_environment() -> dict[str, Any]:
    """Return the settings that let DEMO_CORS_ORIGINS' pages call the demo with cookies.

    Empty without DEMO_CORS_ORIGINS. The origins are trusted twice: by
    django-cors-headers (the page may read answers, credentials included)
    and by Django's CSRF check (which compares the Origin header).
    """
    origins = parse_origins(os.environ.get('DEMO_CORS_ORIGINS', ''))
    if not origins:
        return {}
    try:
        import corsheaders  # noqa: F401
    except ImportError:
        raise DemoEnvironmentError(
            "DEMO_CORS_ORIGINS needs django-cors-headers, which is not installed: pip install -e '.[demo]'"
        ) from None
    return {
        'CORS_ALLOWED_ORIGINS': origins,
        'CORS_ALLOW_CREDENTIALS': True,
        'CSRF_TRUSTED_ORIGINS': origins,
    }


def password_hashers_from_environment() -> dict[str, Any]:
    """Return PASSWORD_HASHERS from DEMO_PASSWORD_HASHERS (dotted class paths, comma-separated).

    Empty without it: Django's own hashers, PBKDF2 first. The test suite's demo
    servers use ``django.contrib.auth.hashers.MD5PasswordHasher``, the fast
    hasher Django advises for tests (a PBKDF2 login costs a fifth of a second
    of CPU); never a real site's choice.
    """
    from django.utils.module_loading import import_string

    names = [part.strip() for part in os.environ.get('DEMO_PASSWORD_HASHERS', '').split(',') if part.strip()]
    for name in names:
        try:
            import_string(name)
        except ImportError:
            raise DemoEnvironmentError(
                f'DEMO_PASSWORD_HASHERS: {name!r} is not a password hasher class such as '
                "'django.contrib.auth.hashers.PBKDF2PasswordHasher'"
            ) from None
    return {'PASSWORD_HASHERS': names} if names else {}
