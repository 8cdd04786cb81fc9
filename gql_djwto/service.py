"""The token service: login, refresh, update, revoke, verify, delete cookies.

Each operation takes the Django request, does its work, sends djwto's
signal once it has succeeded, and returns an :class:`Outcome`. Cookies the
operation wants set are kept on the request (see :mod:`gql_djwto.state`)
until :func:`apply_cookies` puts them on the response. Nothing here knows
GraphQL: a plain Django view can call these functions unchanged.

This module is the service's public face. Logging in lives in
:mod:`gql_djwto.login`, the refresh token's work in :mod:`gql_djwto.refresh`,
answers and the hand-over of tokens in :mod:`gql_djwto.outcome`; the
operations on a token already held (revoke, verify, delete cookies, revoke
all) are here.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from . import errors, modes, signals
from .authentication import authenticate, database_user
from .cookies import deleted_cookies
from .errors import AlreadyBlacklisted, InvalidToken, JWTError, Reason, Refused
from .login import IssuedTokens, authenticate_user, issue_tokens, login
from .models import stored_expiry
from .outcome import Outcome, apply_cookies
from .refresh import refresh_access, update_refresh
from .sessions import is_refresh_revoked, revoke_jti, revoke_user_sessions
from .settings import djwto_settings
from .state import request_state
from .tokens import ACCESS, REFRESH
from .transport import verified_token

__all__ = [
    'IssuedTokens',
    'Outcome',
    'apply_cookies',
    'authenticate_user',
    'delete_cookies',
    'issue_tokens',
    'login',
    'refresh_access',
    'revoke',
    'revoke_all',
    'update_refresh',
    'verify',
]

logger = logging.getLogger('gql_djwto')


def revoke(request: HttpRequest) -> Outcome:
    """Store the refresh token's jti in the blacklist."""
    token, refresh_claims = verified_token(request, REFRESH)
    jti = refresh_claims.get('jti')
    if not jti:
        raise InvalidToken(errors.NO_JTI, reason=Reason.NO_JTI)
    # Durable: the row is committed on return, so a revoke reported as done
    # can never be rolled back by a transaction around the caller.
    try:
        stored = revoke_jti(jti, stored_expiry(refresh_claims.get('exp')), token=token)
    except RuntimeError as error:  # Django refuses a durable block inside another
        logger.error('revoke was called inside a database transaction: %s', error)
        raise Refused(errors.REVOKE_IN_TRANSACTION, reason=Reason.REVOKE_IN_TRANSACTION) from None
    if not stored:
        raise AlreadyBlacklisted(errors.ALREADY_BLACKLISTED)
    request_state(request).forget_checks()
    # Sent once the row is committed: a receiver sees the token revoked for good.
    signals.jwt_blacklisted.send(sender=signals.BLACKLIST_SENDER, request=request, jti=jti)
    return Outcome(errors.BLACKLISTED)


def verify(request: HttpRequest, jwt_type: str = ACCESS) -> Outcome:
    """Check the token of ``jwt_type``; the blacklist is not consulted, as in djwto.

    (Ours) with DJWTO_REVOCATION_CACHE it is: an access token through the
    cache, as wherever one is read, and a refresh token in the database.
    """
    _, claims = authenticate(request, jwt_type, user_required=False)
    signals.jwt_token_validated.send(sender=signals.VALIDATE_SENDER, request=request)
    return Outcome(errors.TOKEN_VALID, claims=claims)


def delete_cookies(request: HttpRequest) -> Outcome:
    """Delete the token cookies of a request holding a good access token.

    A revoked one will do (DJWTO_REVOCATION_CACHE): its signature is good,
    and a client must be able to drop the cookies of a session it ended.
    """
    try:
        verified_token(request, ACCESS)
    except InvalidToken as error:
        if error.reason != Reason.TOKEN_REVOKED:
            raise
    if djwto_settings.MODE == modes.JSON:
        return Outcome(errors.NO_TOKEN_TO_DELETE)
    state = request_state(request)
    state.issued.clear()
    state.cookie_actions.extend(deleted_cookies())
    return Outcome(errors.COOKIES_DELETED)


def revoke_all(request: HttpRequest, jwt_type: str = ACCESS) -> Outcome:
    """End every session of the token's user issued before now (ours, DJWTO_REVOKE_ALL).

    Any good token of the user will do: the access token (the default), or
    the refresh token at the refresh path, which must not be revoked itself.
    """
    _, claims = verified_token(request, jwt_type)
    if not djwto_settings.REVOKE_ALL:
        raise JWTError(errors.REVOKE_ALL_DISABLED, status=403, reason=Reason.REVOKE_ALL_DISABLED)
    if not djwto_settings.IAT_CLAIM:
        raise Refused(errors.REVOKE_ALL_WITHOUT_IAT, reason=Reason.NOT_PROCESSED)
    if jwt_type == REFRESH and is_refresh_revoked(claims):
        raise InvalidToken(errors.TOKEN_REVOKED, reason=Reason.TOKEN_REVOKED)
    user_claim = claims.get('user')
    if not isinstance(user_claim, dict) or 'id' not in user_claim:
        raise InvalidToken(errors.FAILED_TO_VALIDATE, reason=Reason.TOKEN_INVALID)
    user = database_user(user_claim)
    try:
        revoke_user_sessions(user, request=request, cause='revokeAll', durable=True)
    except RuntimeError as error:  # Django refuses a durable block inside another
        logger.error('revokeAll was called inside a database transaction: %s', error)
        raise Refused(errors.REVOKE_IN_TRANSACTION, reason=Reason.REVOKE_IN_TRANSACTION) from None
    request_state(request).forget_checks()
    return Outcome(errors.ALL_REVOKED)
