"""CSRF: the same check as Django's ``csrf_protect``, for cookie modes and sessions."""

from __future__ import annotations

from typing import NoReturn

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware, rotate_token

from . import errors
from .errors import InvalidToken, Reason
from .state import request_state


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF middleware, keeping the reason it refuses a request for instead of a page."""

    reason = ''

    def _reject(self, request: HttpRequest, reason: str) -> None:
        self.reason = reason


def _no_response(request: HttpRequest) -> NoReturn:  # pragma: no cover - never called
    raise NotImplementedError('the CSRF check serves no response')


def _protected_view() -> NoReturn:  # pragma: no cover - never called
    raise NotImplementedError('the CSRF check calls no view')


def check_csrf(request: HttpRequest) -> None:
    """Raise InvalidToken with Django's reason unless the request passes CSRF."""
    check = _CsrfCheck(_no_response)
    if 'CSRF_COOKIE' not in request.META:
        # Without Django's middleware nobody has read the cookie yet.
        check.process_request(request)
    check.process_view(request, _protected_view, (), {})
    if check.reason:
        raise InvalidToken(errors.CSRF_FAILED.format(reason=check.reason), reason=Reason.CSRF_FAILED)


def carries_bearer_token(request: HttpRequest) -> bool:
    """Tell whether the request has an ``Authorization: Bearer`` header.

    A browser never adds one by itself (unlike Basic credentials), and a
    cross-site page cannot set it without the server's CORS consent.
    """
    header: str = request.META.get('HTTP_AUTHORIZATION', '')
    return header.partition(' ')[0] == 'Bearer'


def is_session_authenticated(request: HttpRequest) -> bool:
    """Tell whether the request's user was authenticated by what a browser sends by itself.

    That is the session (or any other authentication Django's middleware
    set ``request.user`` from) of a request without a bearer header. The
    user is only read when ``AuthenticationMiddleware`` set it; a request
    without a session cookie costs no query. Once gql_djwto has put the
    access token's user in ``request.user``, the user the middleware set is
    read instead: a token decides CSRF by the mode's rule, never this one.
    """
    if carries_bearer_token(request):
        return False
    user = request_state(request).ambient_user
    if user is None:
        user = getattr(request, 'user', None)
    return user is not None and bool(user.is_authenticated)


def rotate_csrf(request: HttpRequest) -> None:
    """Issue a new CSRF token, as Django does at login."""
    rotate_token(request)
