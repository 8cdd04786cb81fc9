"""``request.user`` from the access token, for every Django view.

Add after Django's ``AuthenticationMiddleware``::

    MIDDLEWARE = [
        ...,
        'django.contrib.auth.middleware.AuthenticationMiddleware',
        'gql_djwto.middleware.JWTAuthenticationMiddleware',
        ...,
    ]

gql_djwto's GraphQL view does the same by itself; this is for a project's
own views (and libraries reading ``request.user``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .authentication import set_request_user
from .errors import JWTError
from .refusals import json_refusal


class JWTAuthenticationMiddleware:
    """Make ``request.user`` the access token's user, read when first touched.

    A request without a token keeps the session's user. In
    ``DJWTO_REQUEST_USER = 'database'`` mode, a view that touches the user of
    a token whose account is gone or inactive gets the decorators' JSON 403
    (``error`` and ``reason``) instead of a server error.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        set_request_user(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if isinstance(exception, JWTError):
            return json_refusal(exception)
        return None
