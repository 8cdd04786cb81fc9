"""CSRF in cookie modes: the same check as Django's ``csrf_protect``."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware, rotate_token

from . import errors
from .errors import InvalidToken


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF middleware, answering with the reason instead of a page."""

    def _reject(self, request: HttpRequest, reason: str) -> str:  # type: ignore[override]
        return reason


def _no_response(request: HttpRequest) -> None:  # pragma: no cover - never called
    return None


def _protected_view() -> None:  # pragma: no cover - never called
    return None


def check_csrf(request: HttpRequest) -> None:
    """Raise InvalidToken with Django's reason unless the request passes CSRF."""
    check = _CsrfCheck(_no_response)
    if 'CSRF_COOKIE' not in request.META:
        # Without Django's middleware nobody has read the cookie yet.
        check.process_request(request)
    reason = check.process_view(request, _protected_view, (), {})
    if reason:
        raise InvalidToken(errors.CSRF_FAILED.format(reason=reason))


def rotate_csrf(request: HttpRequest) -> None:
    """Issue a new CSRF token, as Django does at login."""
    rotate_token(request)
