"""Who a request is: the one check of its token, and ``request.user`` from it.

:func:`authenticate` is the service's one answer to "authenticate this
request": the decorators, ``verify`` and ``request.user`` all call it.
:func:`set_request_user` puts on the request a lazy ``request.user``:
nothing is read until someone touches it, then the access token (where
the mode puts it) decides, and the user Django's middleware set (a
session's) is kept when the request carries no token of ours.
``DJWTO_REQUEST_USER`` chooses: None (the default) leaves ``request.user``
to Django, as djwto does; ``'token'`` gives a :class:`~.users.TokenUser`
built from the claims (no query); ``'database'`` the user model's instance
(one query, on first touch).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import errors, modes
from .claims import Claims
from .csrf import carries_bearer_token
from .errors import InvalidToken, Reason
from .refusals import misconfigured
from .sessions import refuse_revoked_refresh
from .settings import djwto_settings
from .state import request_state
from .tokens import ACCESS, REFRESH
from .transport import access_cookie_name, verified_token
from .users import TokenUser, UserLookup, claimed_user
from .validators import REQUEST_USER_DATABASE


def authenticate(
    request: HttpRequest, jwt_type: str = ACCESS, *, user_required: bool = True
) -> tuple[str, Claims]:
    """Return the request's token of ``jwt_type`` and its claims, or raise InvalidToken.

    The token is read where the mode puts it and verified
    (``transport.verified_token``: signature, claims, type, path, and for
    an access token the revocation cache). With DJWTO_REVOCATION_CACHE a
    refresh token's revocation is asked of the database too. Unless
    ``user_required`` is False (``verify``, as djwto's ValidateTokensView),
    the token must carry a ``user`` claim with an ``id``. The claims are the
    caller's own dict.
    """
    token, claims = verified_token(request, jwt_type)
    if jwt_type == REFRESH and djwto_settings.REVOCATION_CACHE is not None:
        refuse_revoked_refresh(claims)
    if user_required:
        user = claims.get('user')
        if not isinstance(user, dict) or 'id' not in user:
            raise InvalidToken(errors.FAILED_TO_VALIDATE, reason=Reason.TOKEN_INVALID)
    return token, claims


def presents_access_token(request: HttpRequest) -> bool:
    """Tell whether the request carries an access token of ours, good or bad.

    A bearer header in JSON mode, the access cookie in cookie modes, or a
    token issued by an earlier operation of the same request. Other
    ``Authorization`` schemes (Basic, which browsers resend by themselves)
    are not ours.
    """
    if ACCESS in request_state(request).issued:
        return True
    if djwto_settings.MODE == modes.JSON:
        return carries_bearer_token(request)
    return bool(request.COOKIES.get(access_cookie_name()))


def database_user(user_claim: Claims) -> Any:
    """Return the active user the ``user`` claim names, or raise InvalidToken.

    The user is looked up by id and, when the claim holds it, username, so
    a deleted account's id given to a new one does not pass.
    """
    user = claimed_user(user_claim, UserLookup.ID_AND_USERNAME)
    if user is None:
        raise InvalidToken(errors.USER_UNKNOWN, reason=Reason.USER_UNKNOWN)
    if not getattr(user, 'is_active', True):
        raise InvalidToken(errors.USER_INACTIVE, reason=Reason.USER_INACTIVE)
    return user


def request_user(request: HttpRequest, ambient_user: Any, source: str) -> Any:
    """Return the user of ``request``: from its access token, else ``ambient_user``.

    A request without a token of ours keeps the user Django's middleware
    found (its session's). A token that does not verify gives AnonymousUser:
    the decorators refuse such a request anyway. A bad setting raises the
    one refusal for bad settings (``refusals.misconfigured``, logged).
    ``source`` is DJWTO_REQUEST_USER; with ``'database'``, a token whose user
    is gone or inactive raises InvalidToken.
    """
    try:
        _, claims = authenticate(request)
    except InvalidToken:
        return AnonymousUser() if presents_access_token(request) else ambient_user
    except ImproperlyConfigured as error:
        raise misconfigured(error, 'read request.user from the token') from None
    if source == REQUEST_USER_DATABASE:
        return database_user(claims['user'])
    return TokenUser(claims['user'])


def set_request_user(request: HttpRequest) -> None:
    """Make ``request.user`` the token's user, read when first touched.

    The user Django's middleware set is kept aside (``ambient_user``): it is
    the user when no token comes, and what the CSRF rule for sessions reads.
    Done once per request. Nothing happens when ``DJWTO_REQUEST_USER`` is
    None. When it is invalid (check E035 reports it) the one policy for bad
    settings applies when the user is touched: logged, and refused.
    """
    state = request_state(request)
    if state.ambient_user is not None:
        return  # the middleware did it; our view comes after it
    ambient_user = request.__dict__.get('user')  # never evaluated here: it may be lazy
    if ambient_user is None:
        ambient_user = AnonymousUser()
    try:
        source = djwto_settings.REQUEST_USER
    except ImproperlyConfigured as error:
        read_user: Callable[[], Any] = partial(_refuse_user, error)
    else:
        if source is None:
            return
        read_user = partial(request_user, request, ambient_user, source)
    state.ambient_user = ambient_user
    # django-stubs types request.user as a User or an AnonymousUser, not a lazy one (nor a
    # TokenUser), though Django's own AuthenticationMiddleware sets a SimpleLazyObject.
    request.user = SimpleLazyObject(read_user)  # type: ignore[assignment]
    request.auser = partial(_auser, request)  # as AuthenticationMiddleware does, for async views


def _refuse_user(error: ImproperlyConfigured) -> Any:
    raise misconfigured(error, 'read request.user (DJWTO_REQUEST_USER)')


def _touched_user(request: HttpRequest) -> Any:
    user = request.user
    user.is_authenticated  # noqa: B018 - reads the lazy user (perhaps a query)
    return user


async def _auser(request: HttpRequest) -> Any:
    """Return ``request.user``, read (from the database, perhaps) off the event loop."""
    return await sync_to_async(_touched_user)(request)
