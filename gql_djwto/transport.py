"""Where tokens travel: reading them from the header or cookies, per mode.

What a request has read and verified is kept in its state
(:mod:`gql_djwto.state`), so two decorators on one request decode once.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.encoding import escape_uri_path

from . import errors, modes
from .claims import Claims
from .errors import InvalidToken, Message, Reason
from .modes import REFRESH_COOKIE
from .revocation import refuse_revoked_access
from .settings import djwto_settings
from .state import RequestJWT, request_state
from .tokens import ACCESS, REFRESH, decode_to_json


def access_cookie_name() -> str:
    """Return the name of the cookie that carries the access token in the current cookie mode."""
    return modes.access_cookie_name(djwto_settings.MODE)


def refresh_path() -> str:
    """Return the refresh cookie's Path: the script prefix, then DJWTO_REFRESH_COOKIE_PATH.

    Under a prefix (SCRIPT_NAME from the server, or FORCE_SCRIPT_NAME) the
    browser sees every URL of the project below it, so the cookie's path is
    too. It is written as the browser compares it: percent-encoded.
    """
    return escape_uri_path(get_script_prefix() + djwto_settings.REFRESH_COOKIE_PATH)


def is_under_refresh_path(request: HttpRequest) -> bool:
    """Tell whether a browser would send the refresh cookie to this request.

    The comparison is made inside the project (``path_info``), where the
    refresh path is the same under any script prefix.
    """
    inside = '/' + djwto_settings.REFRESH_COOKIE_PATH
    return request.path_info == inside or request.path_info.startswith(inside + '/')


def bearer_token(request: HttpRequest) -> str:
    """Return the token of an ``Authorization: Bearer <token>`` header."""
    header: str = request.META.get('HTTP_AUTHORIZATION', '')
    if not header:
        raise InvalidToken(errors.HEADER_MISSING, reason=Reason.TOKEN_MISSING)
    scheme, _, token = header.partition(' ')
    if scheme != 'Bearer' or not token or len(token.split()) != 1 or token != token.strip():
        raise InvalidToken(errors.HEADER_INVALID, reason=Reason.TOKEN_MALFORMED)
    return token


def cookie_token(request: HttpRequest, jwt_type: str) -> str:
    """Return the token in the cookie that carries ``jwt_type`` in this mode."""
    name = REFRESH_COOKIE if jwt_type == REFRESH else access_cookie_name()
    token = request.COOKIES.get(name, '')
    if token:
        return token
    if jwt_type == REFRESH and not is_under_refresh_path(request):
        raise InvalidToken(
            errors.REFRESH_COOKIE_OFF_PATH.format(
                path=refresh_path()[1:],
                requested=request.path,
            ),
            reason=Reason.REFRESH_OFF_PATH,
        )
    raise InvalidToken(errors.COOKIE_EMPTY.format(name=name), reason=Reason.TOKEN_MISSING)


def raw_token(request: HttpRequest, jwt_type: str, state: RequestJWT | None = None) -> str:
    """Return the undecoded token of ``jwt_type`` from where this mode puts it.

    A token an operation of this request issued comes first; what the client
    sent is read once per request (every protected field reads it again).
    """
    if state is None:
        state = request_state(request)
    token = state.issued.get(jwt_type) or state.presented.get(jwt_type)
    if token:
        return token
    token = bearer_token(request) if djwto_settings.MODE == modes.JSON else cookie_token(request, jwt_type)
    state.presented[jwt_type] = token
    return token


def _wrong_type_message(jwt_type: str) -> Message:
    if djwto_settings.MODE == modes.JSON:
        return errors.REFRESH_NOT_IN_HEADER if jwt_type == REFRESH else errors.ACCESS_NOT_IN_HEADER
    name = REFRESH_COOKIE if jwt_type == REFRESH else access_cookie_name()
    return errors.COOKIE_WRONG_TYPE.format(name=name, jwt_type=jwt_type)


def verified_token(request: HttpRequest, jwt_type: str) -> tuple[str, Claims]:
    """Return the token of ``jwt_type`` and its verified claims, or raise InvalidToken.

    A token is only good for its own job: an access token never passes where
    a refresh token is read, nor the reverse. A refresh token is refused off
    the refresh path in cookie modes, as djwto does. The claims are the
    caller's own: changing them changes nothing for the next caller.
    """
    state = request_state(request)
    token = raw_token(request, jwt_type, state)
    claims_json = state.verified.get((jwt_type, token))
    if claims_json is not None:
        return token, json.loads(claims_json)
    claims_json = decode_to_json(token, jwt_type)
    claims = json.loads(claims_json)
    if jwt_type == REFRESH and djwto_settings.is_cookie_mode and not is_under_refresh_path(request):
        raise InvalidToken(
            errors.REFRESH_TOKEN_OFF_PATH.format(path=refresh_path()[1:]), reason=Reason.REFRESH_OFF_PATH
        )
    if claims.get('type') != jwt_type:
        raise InvalidToken(_wrong_type_message(jwt_type), reason=Reason.WRONG_TOKEN_TYPE)
    if jwt_type == ACCESS:
        refuse_revoked_access(state.revocation_entries, claims)
    state.verified[(jwt_type, token)] = claims_json
    return token, claims


def carries_valid_access_token(request: HttpRequest) -> bool:
    """Tell whether the request already holds a good access token (for login)."""
    try:
        verified_token(request, ACCESS)
    except InvalidToken:
        return False
    return True
