"""What an operation answers, and how the tokens it issued reach the client.

An operation returns an :class:`Outcome`. New tokens go in the body in JSON
mode and in cookies otherwise: :func:`hand_over` decides, keeping the
cookies on the request's state (:mod:`gql_djwto.state`) until
:func:`apply_cookies` puts them on the response. Shared by login
(:mod:`gql_djwto.login`) and refresh (:mod:`gql_djwto.refresh`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase

from . import modes
from .claims import Claims, access_claims_from_refresh, within_session
from .cookies import token_cookies
from .settings import djwto_settings
from .state import request_state
from .tokens import ACCESS, REFRESH, encode


@dataclass(frozen=True)
class Outcome:
    """What an operation answers: its message, and the tokens in JSON mode."""

    msg: str
    access: str | None = None
    refresh: str | None = None
    claims: Claims | None = None


def access_claims_for(refresh_claims: Claims) -> Claims:
    """Return the access claims derived from ``refresh_claims``, both kept within the session's end."""
    return within_session(access_claims_from_refresh(within_session(refresh_claims)))


def hand_over(
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
    if djwto_settings.MODE == modes.JSON:
        return Outcome(msg, access=access_token, refresh=refresh_token)
    state.cookie_actions.extend(token_cookies(refresh_token, access_token, access_claims))
    return Outcome(msg)


def apply_cookies(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Put on ``response`` every cookie the request's operations asked for."""
    state = request_state(request)
    for action in state.cookie_actions:
        action.apply(response)
    state.cookie_actions.clear()
    return response
