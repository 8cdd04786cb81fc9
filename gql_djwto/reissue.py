"""DJWTO_REFRESH_CLAIMS = 'reissue': each refresh rebuilds the claims from the database.

A permission removed from the user is gone from the next access token, and
a deleted or inactive user's session ends at its next refresh. The claims
that belong to the session (its jti, times and generation) stay those of
the refresh token; everything else comes from DJWTO_CLAIMS_HANDLER, as at
login.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Exists
from django.http import HttpRequest

from .claims import AUTH_TIME_CLAIM, Claims
from .models import JWTBlacklist
from .rotation import GENERATION_CLAIM
from .settings import djwto_settings
from .users import UserLookup, claimed_user

# Kept from the refresh token: they say which session this is and how long it lives.
SESSION_CLAIMS = ('iat', 'exp', 'nbf', 'jti', AUTH_TIME_CLAIM, GENERATION_CLAIM)

REVOKED = 'gql_djwto_revoked'


class SessionUser(NamedTuple):
    """The token's user (None: not in the database) and whether its session is revoked."""

    user: Any
    revoked: bool


def session_user(refresh_claims: Claims) -> SessionUser:
    """Load the token's user and learn whether its jti is blacklisted, in one query.

    When the user is not found the blacklist is not known (``revoked`` is
    False): the caller asks it on that path. So is it when the user table
    and the blacklist live in different databases.
    """
    jti = refresh_claims.get('jti') if djwto_settings.JTI_CLAIM else None
    joined = bool(jti) and router.db_for_read(get_user_model()) == router.db_for_read(JWTBlacklist)
    annotations: dict[str, Exists] = {}
    if joined:
        blacklisted = JWTBlacklist.objects.filter(jti=JWTBlacklist.stored_jti(jti))
        annotations[REVOKED] = Exists(blacklisted.values('pk'))
    user = claimed_user(refresh_claims.get('user'), UserLookup.ID_ELSE_USERNAME, annotations)
    if user is None:
        return SessionUser(None, False)
    revoked = getattr(user, REVOKED) if joined else bool(jti) and JWTBlacklist.is_blacklisted(jti)
    return SessionUser(user, revoked)


def reissued_claims(user: Any, refresh_claims: Claims, request: HttpRequest) -> Claims:
    """Return the claims DJWTO_CLAIMS_HANDLER gives ``user`` now, with the session's own kept."""
    fresh = djwto_settings.CLAIMS_HANDLER(user, request)
    claims = {name: value for name, value in fresh.items() if name not in SESSION_CLAIMS}
    claims.update({name: refresh_claims[name] for name in SESSION_CLAIMS if name in refresh_claims})
    return claims
