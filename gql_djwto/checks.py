"""System checks: every DJWTO_* setting, named in its own message."""

from __future__ import annotations

from typing import Any

import jwt
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from django.db import DatabaseError

from .claims import build_refresh_claims, user_perms
from .cookies import BROWSER_COOKIE_LIMIT, token_cookies
from .settings import DEFAULTS, djwto_settings, validate
from .tokens import encode

# Stable ids: gql_djwto.E001 is the first setting of DEFAULTS, and so on.
SETTING_IDS = {name: f'gql_djwto.E{number:03d}' for number, name in enumerate(DEFAULTS, 1)}


@checks.register(checks.Tags.security)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for name in DEFAULTS:
        try:
            validate(name)
        except ImproperlyConfigured as error:
            messages.append(checks.Error(str(error), obj=name, id=SETTING_IDS[name]))
    if messages:
        return messages
    if djwto_settings.is_asymmetric and not djwto_settings.VERIFYING_KEY:
        messages.append(checks.Error(
            f'DJWTO_ALGORITHM {djwto_settings.ALGORITHM} signs with a private key: '
            'set DJWTO_VERIFYING_KEY to the matching public key.',
            obj='DJWTO_VERIFYING_KEY', id='gql_djwto.E100',
        ))
    else:
        messages.extend(_check_keys_sign_and_verify())
    if djwto_settings.is_cookie_mode and not djwto_settings.COOKIE_SECURE:
        messages.append(checks.Warning(
            'DJWTO_COOKIE_SECURE is False: token cookies travel over plain http.',
            hint='Only do this in local development.',
            obj='DJWTO_COOKIE_SECURE', id='gql_djwto.W001',
        ))
    if (djwto_settings.SAME_SITE or '').lower() == 'none' and not djwto_settings.COOKIE_SECURE:
        messages.append(checks.Warning(
            'DJWTO_SAME_SITE "None" without DJWTO_COOKIE_SECURE: browsers refuse such cookies.',
            obj='DJWTO_SAME_SITE', id='gql_djwto.W002',
        ))
    return messages


def _check_keys_sign_and_verify() -> list[checks.CheckMessage]:
    """Sign and verify a token with the configured keys; report failures without the keys."""
    algorithm = djwto_settings.ALGORITHM
    try:
        token = jwt.encode({'check': True}, djwto_settings.SIGNING_KEY, algorithm=algorithm)
        jwt.decode(token, djwto_settings.VERIFYING_KEY or djwto_settings.SIGNING_KEY, algorithms=[algorithm])
    except Exception as error:  # any failure here means no token can be issued or read
        return [checks.Error(
            f'DJWTO_SIGNING_KEY and DJWTO_VERIFYING_KEY cannot sign and verify a token with '
            f'{algorithm}: {type(error).__name__}: {error}',
            hint='HS* algorithms take a secret; RS/PS/ES/EdDSA a private PEM key to sign '
                 'and its public PEM key as DJWTO_VERIFYING_KEY.',
            obj='DJWTO_SIGNING_KEY', id='gql_djwto.E101',
        )]
    return []


@checks.register(checks.Tags.database)
def check_cookie_size(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when a user holding every permission would get a cookie browsers drop.

    Runs with ``manage.py check --database default``, as it reads the
    permissions table. Only the default perms handler can be judged.
    """
    if not databases:
        return []
    try:
        if not djwto_settings.is_cookie_mode:
            return []
        if djwto_settings.PERMS_HANDLER is not user_perms:
            return []
        from django.contrib.auth.models import Permission

        perms = [
            f'{app_label}.{codename}' for app_label, codename
            in Permission.objects.values_list('content_type__app_label', 'codename')
        ]
        claims = build_refresh_claims(None)
        claims['user'] = {'username': 'u' * 150, 'id': 2**31, 'perms': perms}
        cookie = max(token_cookies(encode(claims), encode(claims), claims), key=_cookie_size)
    except (ImproperlyConfigured, DatabaseError):
        return []  # reported by check_settings, or tables not migrated yet
    size = _cookie_size(cookie)
    if size <= BROWSER_COOKIE_LIMIT:
        return []
    return [checks.Warning(
        f'A user holding all {len(perms)} permissions would get a {cookie.name} cookie of '
        f'{size} bytes; browsers drop cookies over {BROWSER_COOKIE_LIMIT} bytes.',
        hint='Give DJWTO_PERMS_HANDLER a function that puts fewer permissions in the token.',
        obj='DJWTO_PERMS_HANDLER', id='gql_djwto.W003',
    )]


def _cookie_size(cookie: Any) -> int:
    return len(cookie.name) + len(cookie.value or '')


@checks.register(checks.Tags.security, checks.Tags.caches, deploy=True)
def check_throttle_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn (``check --deploy``) when failed logins are counted in a cache that loses counts.

    A per-process cache lets each server process count its own failures;
    an evicting one drops an account's count once enough other usernames
    fail. Only Django's caches are judged: Redis passes, as does
    django-redis's by its class path; a backend we do not know is not judged.
    """
    from django.conf import settings
    from django.core.cache.backends.db import BaseDatabaseCache
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.memcached import BaseMemcachedCache
    from django.utils.module_loading import import_string

    try:
        if not (djwto_settings.LOGIN_FAILURES_PER_USERNAME or djwto_settings.LOGIN_FAILURES_PER_ADDRESS):
            return []
        alias = djwto_settings.LOGIN_THROTTLE_CACHE
    except ImproperlyConfigured:
        return []  # reported by check_settings
    config = settings.CACHES[alias]
    try:
        backend = import_string(config['BACKEND'])
    except (ImportError, KeyError):
        return []  # Django's own cache checks and first use report it
    max_entries = config.get('OPTIONS', {}).get('MAX_ENTRIES', 300)
    culls = f'drops counts once it holds {max_entries} entries (MAX_ENTRIES)'
    reasons = [
        (DummyCache, 'counts nothing, so no login is ever throttled'),
        (LocMemCache, f'counts in each server process on its own, and {culls}'),
        (FileBasedCache, f'{culls}, and does not count atomically'),
        (BaseDatabaseCache, f'{culls}, and does not count atomically'),
        (BaseMemcachedCache, 'evicts counts when its memory is full'),
    ]
    reason = next((text for kind, text in reasons if isinstance(backend, type) and issubclass(backend, kind)), None)
    if reason is None:
        return []
    return [checks.Warning(
        f'DJWTO_LOGIN_THROTTLE_CACHE counts failed logins in the cache {alias!r} '
        f'({config["BACKEND"]}), which {reason}: password guesses can pass the throttle.',
        hint='Count them in Redis, shared by every server process: '
             "CACHES[...]['BACKEND'] = 'django.core.cache.backends.redis.RedisCache'.",
        obj='DJWTO_LOGIN_THROTTLE_CACHE', id='gql_djwto.W005',
    )]
