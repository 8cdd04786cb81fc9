"""djwto's three modes and the names of the cookies they set: each written once.

In JSON mode tokens travel in the ``Authorization: Bearer`` header; in the
two cookie modes, in cookies whose names are djwto's. Every module compares
``DJWTO_MODE`` with these names and sets or reads these cookies by them.
"""

from __future__ import annotations

JSON = 'JSON'
ONE_COOKIE = 'ONE-COOKIE'
TWO_COOKIES = 'TWO-COOKIES'
MODES = (JSON, ONE_COOKIE, TWO_COOKIES)
COOKIE_MODES = (ONE_COOKIE, TWO_COOKIES)

# Both cookie modes: the refresh token, HttpOnly, sent only under the refresh path.
REFRESH_COOKIE = 'jwt_refresh'
# ONE-COOKIE: the access token, HttpOnly.
ACCESS_COOKIE = 'jwt_access'
# TWO-COOKIES: the access claims for the front end to read, and the access token, HttpOnly.
ACCESS_PAYLOAD_COOKIE = 'jwt_access_payload'
ACCESS_TOKEN_COOKIE = 'jwt_access_token'


def access_cookie_name(mode: str) -> str:
    """Return the name of the cookie that carries the access token in cookie mode ``mode``."""
    return ACCESS_COOKIE if mode == ONE_COOKIE else ACCESS_TOKEN_COOKIE


def access_cookie_names(mode: str) -> tuple[str, ...]:
    """Return the names of every cookie that carries the access token or its claims in ``mode``."""
    return (ACCESS_COOKIE,) if mode == ONE_COOKIE else (ACCESS_PAYLOAD_COOKIE, ACCESS_TOKEN_COOKIE)
