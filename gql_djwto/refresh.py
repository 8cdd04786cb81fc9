"""A session's refresh token at work: a new access token, or a longer-lived refresh token.

``refresh_access`` (djwto's RefreshAccessView) and ``update_refresh``
(UpdateRefreshView) both first decide whether the session may go on
(:func:`_session_claims`: revoked, past DJWTO_MAX_SESSION_LIFETIME, its user
gone or inactive), rotate the refresh token when DJWTO_ROTATE_REFRESH_TOKENS
asks, and hand the new tokens over as login does.
"""

from __future__ import annotations

from django.dispatch import Signal
from django.http import HttpRequest

from . import errors, signals
from .claims import Claims, extend_refresh_claims, now, session_end, within_session
from .errors import InvalidToken, Reason, Refused
from .outcome import Outcome, access_claims_for, hand_over
from .reissue import reissued_claims, session_user
from .rotation import rotated
from .sessions import is_refresh_revoked
from .settings import djwto_settings
from .tokens import REFRESH, encode_remembered
from .transport import verified_token
from .users import UserLookup, claimed_user


def _is_revoked(refresh_claims: Claims) -> bool:
    return is_refresh_revoked(refresh_claims)


def _session_claims(request: HttpRequest, refresh_claims: Claims, refused: str) -> Claims:
    """Return the claims the session goes on with, or refuse: revoked, past its end, user gone.

    With DJWTO_REFRESH_CLAIMS = 'reissue' they are rebuilt from the database
    (one query finds the user and the blacklist row). ``refused`` is the
    operation's message for a revoked token or an unknown user.
    """
    end = session_end(refresh_claims)
    if end is not None and now() >= end:
        raise InvalidToken(errors.SESSION_EXPIRED, reason=Reason.SESSION_EXPIRED)
    # The user's cutoff (DJWTO_REVOKE_ALL) is asked here (one statement with the
    # blacklist) or rides with the reissue's user lookup; the blacklist alone rides
    # with the rotation's statement (gql_djwto.rotation).
    if djwto_settings.REFRESH_CLAIMS == 'keep':
        if (djwto_settings.REVOKE_ALL or not djwto_settings.ROTATE_REFRESH_TOKENS) and _is_revoked(
            refresh_claims
        ):
            raise Refused(refused, reason=Reason.TOKEN_REVOKED)
        return refresh_claims
    user, revoked, complete = session_user(refresh_claims)
    if revoked or (not complete and _is_revoked(refresh_claims)):
        raise Refused(refused, reason=Reason.TOKEN_REVOKED)
    if user is None:
        raise Refused(refused, reason=Reason.USER_UNKNOWN)
    if not getattr(user, 'is_active', True):
        raise InvalidToken(errors.USER_INACTIVE, reason=Reason.USER_INACTIVE)
    return reissued_claims(user, refresh_claims, request)


# Each operation's djwto signal and its sender.
ACCESS_REFRESHED = (signals.jwt_access_refreshed, signals.REFRESH_ACCESS_SENDER)
REFRESH_UPDATED = (signals.jwt_refresh_updated, signals.UPDATE_REFRESH_SENDER)


def _finish(
    request: HttpRequest,
    done: tuple[Signal, str],
    msg: str,
    refresh_claims: Claims,
    access_claims: Claims,
    refresh_token: str | None,
) -> Outcome:
    """Hand the new tokens over with ``msg``, then send the operation's signal (``done``)."""
    signal, sender = done
    outcome = hand_over(request, refresh_claims, access_claims, msg, refresh_token=refresh_token)
    signal.send(sender=sender, request=request, refresh_claims=refresh_claims, access_claims=access_claims)
    return outcome


def refresh_access(request: HttpRequest) -> Outcome:
    """Issue a new access token from the request's refresh token.

    With DJWTO_ROTATE_REFRESH_TOKENS a new refresh token of the session
    comes with it, and the one sent is used up.
    """
    refresh_token, presented = verified_token(request, REFRESH)
    claims = _session_claims(request, presented, errors.CANNOT_UPDATE_ACCESS)
    refresh_claims: Claims = presented
    if djwto_settings.ROTATE_REFRESH_TOKENS:
        refresh_claims = rotated(
            request,
            refresh_token,
            presented,
            within_session(claims),
            signals.REFRESH_ACCESS_SENDER,
            errors.CANNOT_UPDATE_ACCESS,
        )
        claims, refresh_token = refresh_claims, encode_remembered(refresh_claims, REFRESH)
    access_claims = access_claims_for(claims)
    # Unless rotated, the refresh claims are unchanged: the verified token is the one to hand back.
    return _finish(
        request, ACCESS_REFRESHED, errors.ACCESS_REFRESHED, refresh_claims, access_claims, refresh_token
    )


def _active_user_check(refresh_claims: Claims) -> None:
    """djwto's check before an update: the claim's user, by username, exists and is active."""
    user_data = refresh_claims.get('user')
    if not user_data:
        return
    user = claimed_user(user_data, UserLookup.USERNAME)
    if user is None:
        raise Refused(errors.CANNOT_UPDATE_REFRESH, reason=Reason.USER_UNKNOWN)
    if not getattr(user, 'is_active', True):
        raise InvalidToken(errors.USER_INACTIVE, reason=Reason.USER_INACTIVE)


def update_refresh(request: HttpRequest) -> Outcome:
    """Extend the refresh token's life, keeping its jti, and issue a new access token.

    DJWTO_MAX_SESSION_LIFETIME bounds the extension; with rotation the new
    token is the session's next generation.
    """
    token, old_claims = verified_token(request, REFRESH)
    if not djwto_settings.ALLOW_REFRESH_UPDATE:
        raise Refused(errors.CANNOT_UPDATE_REFRESH, reason=Reason.REFRESH_UPDATE_DISABLED)
    claims = _session_claims(request, old_claims, errors.CANNOT_UPDATE_REFRESH)
    if djwto_settings.REFRESH_CLAIMS == 'keep':
        _active_user_check(old_claims)
    refresh_claims = within_session(extend_refresh_claims(claims))
    if djwto_settings.ROTATE_REFRESH_TOKENS:
        refresh_claims = rotated(
            request,
            token,
            old_claims,
            refresh_claims,
            signals.UPDATE_REFRESH_SENDER,
            errors.CANNOT_UPDATE_REFRESH,
        )
    access_claims = access_claims_for(refresh_claims)
    refresh_token = (
        encode_remembered(refresh_claims, REFRESH) if djwto_settings.ROTATE_REFRESH_TOKENS else None
    )
    return _finish(
        request, REFRESH_UPDATED, errors.REFRESH_UPDATED, refresh_claims, access_claims, refresh_token
    )
