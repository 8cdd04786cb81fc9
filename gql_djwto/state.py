"""What gql_djwto keeps about one request: one typed object, attached once.

Every layer that needs to remember something for the rest of the request
(the cookies its operations want set, the tokens it issued or was sent, the
claims already checked, the user Django's middleware found) reads and writes
the :class:`RequestJWT` that :func:`request_state` returns. It lives on the
request under one attribute, ``request.gql_djwto``, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:  # cookies.py reads the transport, which reads this module
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from .cookies import CookieAction

STATE_ATTRIBUTE = 'gql_djwto'


@dataclass
class RequestJWT:
    """gql_djwto's state for one request.

    ``issued`` holds the tokens that operations of this request have issued:
    a later operation in the same GraphQL document reads those, as if the
    client had sent them, so an updated refresh token is never overwritten
    by the stale one the request arrived with.
    """

    # The cookies to set or delete on the response (service.apply_cookies).
    cookie_actions: list[CookieAction] = field(default_factory=list)
    # (jwt_type, token) -> the claims as JSON: each reader gets its own dict.
    verified: dict[tuple[str, str], str] = field(default_factory=dict)
    # jwt_type -> the token an operation of this request issued.
    issued: dict[str, str] = field(default_factory=dict)
    # jwt_type -> the token the client sent, as read from its header or cookie once.
    presented: dict[str, str] = field(default_factory=dict)
    login_attempted: bool = False
    # request.user as Django's middleware set it, once gql_djwto has put the
    # token's user there (authentication.set_request_user); None until then.
    ambient_user: AbstractBaseUser | AnonymousUser | None = None
    # The revocation cache's entries read for this request (gql_djwto.revocation):
    # cache key -> its value, None when the cache holds none.
    revocation_entries: dict[str, object] = field(default_factory=dict)

    def forget_checks(self) -> None:
        """Make later reads check tokens again: an operation of this request has revoked some."""
        self.verified.clear()
        self.revocation_entries.clear()


def request_state(request: HttpRequest) -> RequestJWT:
    """Return the request's RequestJWT, attaching it on first use."""
    state = getattr(request, STATE_ATTRIBUTE, None)
    if not isinstance(state, RequestJWT):
        state = RequestJWT()
        setattr(request, STATE_ATTRIBUTE, state)
    return state
