"""The token service: login, refresh, update, revoke, verify, delete cookies.

Each operation takes the Django request, does its work, sends djwto's
signal once it has succeeded, and returns an :class:`Outcome`. Cookies the
operation wants set are kept on the request (see ``transport.request_state``)
until :func:`apply_cookies` puts them on the response. Nothing here knows
GraphQL: a plain Django view can call these functions unchanged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.debug import sensitive_variables

from . import errors, signals
from .authentication import database_user
from .claims import (
    Claims,
    access_claims_from_refresh,
    extend_refresh_claims,
    now,
    session_end,
    within_session,
)
from .cookies import deleted_cookies, token_cookies
from .csrf import rotate_csrf
from .errors import (
    AlreadyBlacklisted,
    InvalidToken,
    JWTError,
    LoginFailed,
    Reason,
    Refused,
    Throttled,
)
from .expiry import expiry_from_epoch
from .reissue import reissued_claims, session_user
from .rotation import rotated
from .sessions import is_refresh_revoked, refuse_revoked_refresh, revoke_jti, revoke_user_sessions
from .settings import djwto_settings
from .throttle import reserve_attempt
from .tokens import ACCESS, REFRESH, encode, encode_remembered
from .transport import carries_valid_access_token, request_state, verified_token

logger = logging.getLogger('gql_djwto')


@dataclass(frozen=True)
class Outcome:
    """What an operation answers: its message, and the tokens in JSON mode."""

    msg: str
    access: str | None = None
    refresh: str | None = None
    claims: Claims | None = None


@sensitive_variables('password')
def authenticate_user(request: HttpRequest, username: str, password: str) -> Any:
    """Return the user with these credentials, or raise LoginFailed.

    Django's login form checks them through ``authenticate()`` with the
    request, so every authentication backend takes part; its errors become
    the message as JSON, as djwto words them.
    """
    form = AuthenticationForm(request, data={'username': username, 'password': password})
    if not form.is_valid():
        found = form.errors.get_json_data()
        messages = {
            field: [error['message'] for error in field_errors] for field, field_errors in found.items()
        }
        # A backend that authenticates inactive users leaves the form to refuse them.
        inactive = any(error['code'] == 'inactive' for error in found.get('__all__', ()))
        raise LoginFailed(
            json.dumps(messages),
            reason=Reason.USER_INACTIVE if inactive else Reason.BAD_CREDENTIALS,
        )
    return form.get_user()


def _bad_credentials(request: HttpRequest) -> LoginFailed:
    """The login form's answer to a wrong username or password."""
    error = AuthenticationForm(request).get_invalid_login_error()
    return LoginFailed(json.dumps({'__all__': error.messages}))


def _is_utf8_text(value: str) -> bool:
    """Whether ``value`` can be encoded as UTF-8: a lone surrogate cannot, nor be stored or hashed."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class IssuedTokens:
    """A new token pair and the claims each carries."""

    refresh: str
    access: str
    refresh_claims: Claims
    access_claims: Claims


def _signed(request: HttpRequest | None, user: Any) -> IssuedTokens:
    """Build the claims for ``user`` with the configured handlers, and sign both tokens."""
    refresh_claims = within_session(djwto_settings.CLAIMS_HANDLER(user, request))
    access_claims = _access_claims(refresh_claims)
    return IssuedTokens(encode(refresh_claims), encode(access_claims), refresh_claims, access_claims)


def _issue(
    request: HttpRequest,
    refresh_claims: Claims,
    access_claims: Claims,
    msg: str,
    refresh_token: str | None = None,
    access_token: str | None = None,
) -> Outcome:
    """Sign the tokens not given yet, and hand both to the request: body or cookies."""
    if refresh_token is None:
        refresh_token = encode(refresh_claims)
    if access_token is None:
        access_token = encode(access_claims)
    state = request_state(request)
    state.issued.update({ACCESS: access_token, REFRESH: refresh_token})
    if djwto_settings.MODE == 'JSON':
        return Outcome(msg, access=access_token, refresh=refresh_token)
    state.cookie_actions.extend(token_cookies(refresh_token, access_token, access_claims))
    return Outcome(msg)


@sensitive_variables('password')
def login(request: HttpRequest, username: str, password: str) -> Outcome:
    """Check the credentials and issue a refresh and an access token.

    The attempt takes its place in the throttle's counts before any
    password is checked, so concurrent guesses cannot pass the limit.
    """
    if carries_valid_access_token(request):
        return Outcome(errors.ALREADY_AUTHENTICATED)
    state = request_state(request)
    try:
        if state.login_attempted:
            # Aliasing tokenAuth many times in one document checks one password.
            raise Throttled(errors.ONE_LOGIN_PER_REQUEST, reason=Reason.ONE_LOGIN_PER_REQUEST)
        state.login_attempted = True
        if not (_is_utf8_text(username) and _is_utf8_text(password)):
            # No account can match (nothing stores or hashes such text): wrong credentials.
            logger.info('Login refused: the username or password holds a lone surrogate.')
            raise _bad_credentials(request)
        attempt = reserve_attempt(request, username)
        # A failure keeps the attempt's place in the counts: that is the failure counted.
        user = djwto_settings.AUTHENTICATE_HANDLER(request, username, password)
    except JWTError as error:
        signals.jwt_login_fail.send(sender=signals.LOGIN_SENDER, request=request, error=error.message)
        raise
    attempt.succeeded()
    try:
        tokens = _signed(request, user)
        outcome = _hand_over(request, tokens)
    except ImproperlyConfigured as error:
        logger.error('Login could not issue tokens: %s', error)
        signals.jwt_login_fail.send(sender=signals.LOGIN_SENDER, request=request, error=str(error))
        raise Refused(errors.LOGIN_NOT_PROCESSED) from None
    _logged_in(request, tokens)
    return outcome


def _hand_over(request: HttpRequest, tokens: IssuedTokens) -> Outcome:
    return _issue(
        request,
        tokens.refresh_claims,
        tokens.access_claims,
        errors.TOKENS_CREATED,
        refresh_token=tokens.refresh,
        access_token=tokens.access,
    )


def _logged_in(request: HttpRequest, tokens: IssuedTokens) -> None:
    """Finish a login: a new CSRF token (as Django's login rotates it), then jwt_logged_in."""
    if djwto_settings.csrf_enforced:
        rotate_csrf(request)
    signals.jwt_logged_in.send(
        sender=signals.LOGIN_SENDER,
        request=request,
        refresh_claims=tokens.refresh_claims,
        access_claims=tokens.access_claims,
    )


def issue_tokens(request: HttpRequest | None, user: Any) -> IssuedTokens:
    """Issue a refresh and an access token for ``user``, who has been authenticated otherwise.

    For a login that checks no password (a social login's callback, a
    magic link, a test). The claims come from the configured handlers,
    exactly as at ``tokenAuth``. Given the request, it is a login of that
    request: the tokens go where the mode puts them (put cookies on your
    response with :func:`apply_cookies`), the CSRF token is rotated and
    ``jwt_logged_in`` is sent, as for ``tokenAuth``. Given ``None``, it only
    signs the tokens: no signal, whose djwto handlers expect a request.
    Bad settings raise ImproperlyConfigured.
    """
    tokens = _signed(request, user)
    if request is not None:
        _hand_over(request, tokens)
        _logged_in(request, tokens)
    return tokens


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
    # The user's cutoff (DJWTO_REVOKE_ALL) is asked here in every case (one
    # statement with the blacklist); the blacklist alone rides with the rotation's
    # statement (gql_djwto.rotation) or the reissue's user lookup.
    cutoffs = djwto_settings.REVOKE_ALL
    if djwto_settings.REFRESH_CLAIMS == 'keep':
        if (cutoffs or not djwto_settings.ROTATE_REFRESH_TOKENS) and _is_revoked(refresh_claims):
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


def _access_claims(refresh_claims: Claims) -> Claims:
    return within_session(access_claims_from_refresh(within_session(refresh_claims)))


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
    access_claims = _access_claims(claims)
    # Unless rotated, the refresh claims are unchanged: the verified token is the one to hand back.
    outcome = _issue(
        request, refresh_claims, access_claims, errors.ACCESS_REFRESHED, refresh_token=refresh_token
    )
    signals.jwt_access_refreshed.send(
        sender=signals.REFRESH_ACCESS_SENDER,
        request=request,
        refresh_claims=refresh_claims,
        access_claims=access_claims,
    )
    return outcome


def _active_user_check(refresh_claims: Claims) -> None:
    user_data = refresh_claims.get('user')
    if not user_data:
        return
    User = get_user_model()
    username = user_data.get(User.USERNAME_FIELD) if isinstance(user_data, dict) else None
    if not isinstance(username, str):
        raise Refused(errors.CANNOT_UPDATE_REFRESH, reason=Reason.USER_UNKNOWN)
    try:
        user = User._default_manager.get_by_natural_key(username)
    except User.DoesNotExist:
        raise Refused(errors.CANNOT_UPDATE_REFRESH, reason=Reason.USER_UNKNOWN) from None
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
    access_claims = _access_claims(refresh_claims)
    refresh_token = (
        encode_remembered(refresh_claims, REFRESH) if djwto_settings.ROTATE_REFRESH_TOKENS else None
    )
    outcome = _issue(
        request, refresh_claims, access_claims, errors.REFRESH_UPDATED, refresh_token=refresh_token
    )
    signals.jwt_refresh_updated.send(
        sender=signals.UPDATE_REFRESH_SENDER,
        request=request,
        refresh_claims=refresh_claims,
        access_claims=access_claims,
    )
    return outcome


def _expiry(refresh_claims: Claims) -> datetime | None:
    """Return when the blacklist may forget the token: its ``exp``, as the blacklist stores it."""
    exp = refresh_claims.get('exp')
    return None if exp is None else expiry_from_epoch(exp)


def revoke(request: HttpRequest) -> Outcome:
    """Store the refresh token's jti in the blacklist."""
    token, refresh_claims = verified_token(request, REFRESH)
    jti = refresh_claims.get('jti')
    if not jti:
        raise InvalidToken(errors.NO_JTI, reason=Reason.NO_JTI)
    # Durable: the row is committed on return, so a revoke reported as done
    # can never be rolled back by a transaction around the caller.
    try:
        stored = revoke_jti(jti, _expiry(refresh_claims), token=token)
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
    _, claims = verified_token(request, jwt_type)
    if jwt_type == REFRESH and djwto_settings.REVOCATION_CACHE is not None:
        refuse_revoked_refresh(claims)
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
    if djwto_settings.MODE == 'JSON':
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


def apply_cookies(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Put on ``response`` every cookie the request's operations asked for."""
    state = request_state(request)
    for action in state.cookie_actions:
        action.apply(response)
    state.cookie_actions.clear()
    return response
