"""The claim sets of refresh and access tokens, as djwto builds them.

Each builder here is the default of a ``DJWTO_*_HANDLER`` setting, so a
project replaces one by a dotted path instead of monkey-patching.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.http import HttpRequest

from .settings import djwto_settings

Claims = dict[str, Any]


def now() -> int:
    """Return the current UTC time as whole epoch seconds."""
    return int(time.time())


def user_perms(user: Any) -> list[str]:
    """Return the permissions put in the token: all of the user's, as djwto does."""
    return list(user.get_all_permissions())


def user_claims(user: Any) -> dict[str, Any]:
    """Return the ``user`` claim: username under USERNAME_FIELD, id and perms."""
    return {
        user.USERNAME_FIELD: user.get_username(),
        'id': user.pk,
        'perms': djwto_settings.PERMS_HANDLER(user),
    }


def registered_claims() -> Claims:
    """Return iss, sub and aud as configured."""
    claims: Claims = {}
    for claim, value in (
        ('iss', djwto_settings.ISS_CLAIM),
        ('sub', djwto_settings.SUB_CLAIM),
        ('aud', djwto_settings.AUD_CLAIM),
    ):
        if value:
            claims[claim] = value
    return claims


def build_refresh_claims(user: Any, request: HttpRequest | None = None) -> Claims:
    """Return a new refresh token's claims for ``user``."""
    claims = registered_claims()
    issued_at = now()
    if djwto_settings.IAT_CLAIM:
        claims['iat'] = issued_at
    lifetime = djwto_settings.REFRESH_TOKEN_LIFETIME
    if lifetime:
        claims['exp'] = issued_at + int(lifetime.total_seconds())
    nbf = djwto_settings.NBF_LIFETIME
    if nbf:
        claims['nbf'] = issued_at + int(nbf.total_seconds())
    if djwto_settings.JTI_CLAIM:
        claims['jti'] = str(uuid.uuid4())
    claims['type'] = 'refresh'
    if user is not None:
        claims['user'] = djwto_settings.USER_CLAIMS_HANDLER(user)
    return claims


def extend_refresh_claims(refresh_claims: Claims) -> Claims:
    """Return the refresh claims with a new iat and exp, the same jti."""
    claims = dict(refresh_claims)
    issued_at = now()
    if 'iat' in claims:
        claims['iat'] = issued_at
    lifetime = djwto_settings.REFRESH_TOKEN_LIFETIME
    if lifetime:
        claims['exp'] = issued_at + int(lifetime.total_seconds())
    else:
        claims.pop('exp', None)
    return claims


def access_claims_from_refresh(refresh_claims: Claims) -> Claims:
    """Return the access claims derived from a refresh token's claims."""
    claims = dict(refresh_claims)
    issued_at = now()
    if djwto_settings.IAT_CLAIM and 'iat' in claims:
        claims['refresh_iat'] = claims['iat']
        claims['iat'] = issued_at
    claims['type'] = 'access'
    lifetime = djwto_settings.ACCESS_TOKEN_LIFETIME
    if lifetime:
        claims['exp'] = issued_at + int(lifetime.total_seconds())
    return claims


# DJWTO_MAX_SESSION_LIFETIME (ours): when the user logged in, carried by every token of the session.
AUTH_TIME_CLAIM = 'auth_time'


def session_end(claims: Claims) -> int | None:
    """Return when the session must end (epoch seconds), or None when it has no end.

    It starts at ``auth_time``; a session from before the setting has none
    and counts from its refresh token's ``iat``.
    """
    lifetime = djwto_settings.MAX_SESSION_LIFETIME
    if lifetime is None:
        return None
    start = claims.get(AUTH_TIME_CLAIM, claims.get('iat'))
    if not isinstance(start, (int, float)) or isinstance(start, bool):
        return None
    return int(start) + int(lifetime.total_seconds())


def within_session(claims: Claims) -> Claims:
    """Return ``claims`` carrying the session's start, their ``exp`` no later than its end."""
    if djwto_settings.MAX_SESSION_LIFETIME is None:
        return claims
    claims = dict(claims)
    claims.setdefault(AUTH_TIME_CLAIM, claims.get('iat', now()))
    end = session_end(claims)
    exp = claims.get('exp', end)
    if end is not None and isinstance(exp, (int, float)) and exp >= end:
        claims['exp'] = end  # an exp that is not a number is refused when signed
    return claims
