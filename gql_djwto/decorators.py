"""Protect graphene resolvers and Django views with the request's access token.

Both decorators read the access token where the mode puts it, refuse any
other kind of token, and expose ``request.payload`` (the claims) and
``request.token`` (the raw token), as djwto does. On a resolver a refusal
is a GraphQL error with code FORBIDDEN; on a view, a 403 JSON response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from . import errors
from .authentication import authenticate
from .errors import InvalidToken, JWTError, Reason
from .refusals import graphql_error, json_refusal

# A resolver or a view: decorated, it keeps its signature.
F = TypeVar('F', bound=Callable[..., Any])


class JWTRequest(HttpRequest):
    """The request a protected resolver or view is given, as type checkers see it.

    Never made: annotate a view's ``request`` (or cast a resolver's
    ``info.context``) with it to read djwto's two attributes.
    """

    payload: dict[str, Any]  # the access token's claims
    token: str  # the access token itself


def _authenticate(request: HttpRequest) -> dict[str, Any]:
    token, claims = authenticate(request)
    protected = cast(JWTRequest, request)
    protected.payload = claims
    protected.token = token
    return claims


def _has_perms(perms: Iterable[str]) -> Callable[[HttpRequest], None]:
    required = list(perms)

    def check(request: HttpRequest) -> None:
        granted = _authenticate(request)['user'].get('perms')
        if not granted:
            raise InvalidToken(errors.INVALID_PERMISSIONS, reason=Reason.PERMISSION_DENIED)
        if not all(perm in granted for perm in required):
            raise InvalidToken(errors.INSUFFICIENT_PERMISSIONS, reason=Reason.PERMISSION_DENIED)

    return check


def _guard(test: Callable[[HttpRequest], Any]) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        @wraps(func)
        def wrapper(first: Any, *args: Any, **kwargs: Any) -> Any:
            info = args[0] if args and hasattr(args[0], 'context') else None
            if info is not None:
                # A resolver: (root, info, **arguments).
                try:
                    test(info.context)
                except (JWTError, ImproperlyConfigured) as error:
                    raise graphql_error(error) from None
                return func(first, *args, **kwargs)
            # A Django view: (request, *args, **kwargs).
            try:
                test(first)
            except (JWTError, ImproperlyConfigured) as error:
                return json_refusal(error)
            return func(first, *args, **kwargs)

        # A view's refusal is a JsonResponse, which is what a view returns.
        return cast(F, wrapper)

    return decorator


jwt_login_required = _guard(_authenticate)
jwt_login_required.__doc__ = 'Run the resolver or view only for a request with a good access token.'


def jwt_perm_required(perms: Iterable[str]) -> Callable[[F], F]:
    """Run the resolver or view only if the access token grants every one of ``perms``."""
    if isinstance(perms, str):
        perms = [perms]
    return _guard(_has_perms(perms))
