"""Logging in: the credentials checked, and the first token pair issued.

``login`` is tokenAuth's work (the throttle, the password, the signal);
``issue_tokens`` issues tokens to a user authenticated otherwise (a social
login's callback, a magic link, a test). Both build the claims with the
configured handlers, rotate the CSRF token in cookie modes and send
``jwt_logged_in``, as Django's login does its own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from . import errors, signals
from .claims import Claims, within_session
from .csrf import rotate_csrf
from .errors import JWTError, LoginFailed, Reason, Throttled
from .outcome import Outcome, access_claims_for, hand_over
from .refusals import misconfigured
from .settings import djwto_settings
from .state import request_state
from .throttle import reserve_attempt
from .tokens import encode
from .transport import carries_valid_access_token

logger = logging.getLogger('gql_djwto')


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
    access_claims = access_claims_for(refresh_claims)
    return IssuedTokens(encode(refresh_claims), encode(access_claims), refresh_claims, access_claims)


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
        outcome = _hand_over_pair(request, tokens)
    except ImproperlyConfigured as error:
        refusal = misconfigured(error, 'issue tokens at login')
        signals.jwt_login_fail.send(sender=signals.LOGIN_SENDER, request=request, error=str(error))
        raise refusal from None
    _logged_in(request, tokens)
    return outcome


def _hand_over_pair(request: HttpRequest, tokens: IssuedTokens) -> Outcome:
    return hand_over(
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
        _hand_over_pair(request, tokens)
        _logged_in(request, tokens)
    return tokens
