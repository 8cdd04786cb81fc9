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
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.http import HttpRequest

from .claims import AUTH_TIME_CLAIM, Claims
from .models import JWTBlacklist, UserRevocation, expiry_from_epoch
from .rotation import GENERATION_CLAIM
from .settings import djwto_settings
from .users import UserLookup, claimed_user

# Kept from the refresh token: they say which session this is and how long it lives.
SESSION_CLAIMS = ('iat', 'exp', 'nbf', 'jti', AUTH_TIME_CLAIM, GENERATION_CLAIM)

REVOKED = 'gql_djwto_revoked'


class SessionUser(NamedTuple):
    """The token's user (None: not in the database) and whether its session is revoked.

    ``complete``: the blacklist and (with DJWTO_REVOKE_ALL) the user's cutoff
    were both asked, so ``revoked`` is the whole answer.
    """

    user: Any
    revoked: bool
    complete: bool = False


def session_user(refresh_claims: Claims) -> SessionUser:
    """Load the token's user and learn whether its session is revoked, in one query.

    The blacklist, and with DJWTO_REVOKE_ALL the user's cutoff, ride with
    the user's row. When the user is not found nothing is known
    (``revoked`` False, ``complete`` False): the caller asks on that path.
    So does it when the tables live in different databases.
    """
    jti = refresh_claims.get('jti') if djwto_settings.JTI_CLAIM else None
    user_claim = refresh_claims.get('user')
    database = router.db_for_read(get_user_model())
    # The cutoff of the user the token names by id (as sessions.is_refresh_revoked reads it).
    cutoff = (
        djwto_settings.REVOKE_ALL
        and 'iat' in refresh_claims
        and isinstance(user_claim, dict)
        and 'id' in user_claim
    )
    revocations: list[QuerySet[Any]] = []
    if jti and database == router.db_for_read(JWTBlacklist):
        revocations.append(JWTBlacklist.objects.filter(jti=JWTBlacklist.stored_jti(jti)))
    if cutoff and database == router.db_for_read(UserRevocation):
        not_before = expiry_from_epoch(refresh_claims['iat'])
        revocations.append(UserRevocation.objects.filter(user=OuterRef('pk'), not_before__gt=not_before))
    annotations: dict[str, Any] = {}
    if revocations:
        revoked_query: Combinable | Q = Exists(revocations[0].values('pk'))
        for more in revocations[1:]:
            revoked_query = revoked_query | Exists(more.values('pk'))
        annotations[REVOKED] = revoked_query
    user = claimed_user(user_claim, UserLookup.ID_ELSE_USERNAME, annotations)
    if user is None:
        return SessionUser(None, False)
    asked_all = len(revocations) == (1 if jti else 0) + (1 if cutoff else 0)
    if asked_all:
        return SessionUser(user, bool(revocations) and getattr(user, REVOKED), complete=True)
    revoked = bool(revocations) and getattr(user, REVOKED)
    return SessionUser(user, revoked)


def reissued_claims(user: Any, refresh_claims: Claims, request: HttpRequest) -> Claims:
    """Return the claims DJWTO_CLAIMS_HANDLER gives ``user`` now, with the session's own kept."""
    fresh = djwto_settings.CLAIMS_HANDLER(user, request)
    claims = {name: value for name, value in fresh.items() if name not in SESSION_CLAIMS}
    claims.update({name: refresh_claims[name] for name in SESSION_CLAIMS if name in refresh_claims})
    return claims
