"""The cookies gql_djwto sets and deletes, with djwto's exact attributes."""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBase

from . import modes
from .claims import Claims
from .modes import ACCESS_PAYLOAD_COOKIE, REFRESH_COOKIE
from .settings import djwto_settings
from .transport import refresh_path

if TYPE_CHECKING:
    # django-stubs spells SameSite as Django's documentation does; Django itself takes any
    # case (it compares the value lowercased), as djwto's DJWTO_SAME_SITE does.
    SameSite = Literal['Lax', 'Strict', 'None', False] | None

logger = logging.getLogger('gql_djwto')

# Browsers drop a cookie whose name and value exceed this many bytes.
BROWSER_COOKIE_LIMIT = 4096


@dataclass(frozen=True)
class CookieAction:
    """One cookie to set (``value`` given) or to delete (``value`` None)."""

    name: str
    value: str | None
    path: str = '/'
    httponly: bool = True
    max_age: int | None = None
    domain: str | None = None
    samesite: str | Literal[False] | None = None
    secure: bool = True

    def apply(self, response: HttpResponseBase) -> None:
        if self.value is None:
            response.delete_cookie(
                self.name,
                path=self.path,
                domain=self.domain,
                samesite=cast('SameSite', self.samesite),
            )
            return
        response.set_cookie(
            self.name,
            self.value,
            max_age=self.max_age,
            path=self.path,
            domain=self.domain,
            secure=self.secure,
            httponly=self.httponly,
            samesite=cast('SameSite', self.samesite),
        )


def _shared_attributes() -> dict[str, Any]:
    """Return the attributes every token cookie shares, read from the settings now."""
    return {
        'domain': djwto_settings.DOMAIN,
        'samesite': djwto_settings.SAME_SITE or None,
        'secure': djwto_settings.COOKIE_SECURE,
    }


# The longest Max-Age given: a cookie's Expires date must still be a date
# Django can write (before year 9999), and no browser keeps one that long.
LONGEST_MAX_AGE = 7000 * 365 * 24 * 3600


def _seconds(lifetime: timedelta | None) -> int | None:
    return min(int(lifetime.total_seconds()), LONGEST_MAX_AGE) if lifetime else None


def access_payload_cookie_value(access_claims: Claims) -> str:
    """Return the readable access payload cookie's value: base64 of the claims as sorted JSON."""
    payload = json.dumps(access_claims, sort_keys=True, cls=DjangoJSONEncoder)
    return base64.b64encode(payload.encode()).decode()


def _warn_if_too_large(action: CookieAction) -> None:
    size = len(action.name) + len(action.value or '')
    if size > BROWSER_COOKIE_LIMIT:
        logger.warning(
            'Cookie %r is %d bytes; browsers drop cookies over %d bytes, so the '
            'client will not send it back. Put fewer claims in the token '
            '(DJWTO_PERMS_HANDLER / DJWTO_USER_CLAIMS_HANDLER).',
            action.name,
            size,
            BROWSER_COOKIE_LIMIT,
        )


def token_cookies(refresh_token: str, access_token: str, access_claims: Claims) -> list[CookieAction]:
    """Return the cookies that carry a new token pair in the current cookie mode."""
    shared = _shared_attributes()
    access_age = _seconds(djwto_settings.ACCESS_TOKEN_LIFETIME)
    actions = [
        CookieAction(
            REFRESH_COOKIE,
            refresh_token,
            path=refresh_path(),
            max_age=_seconds(djwto_settings.REFRESH_TOKEN_LIFETIME),
            **shared,
        )
    ]
    if djwto_settings.MODE == modes.ONE_COOKIE:
        actions.append(CookieAction(modes.ACCESS_COOKIE, access_token, max_age=access_age, **shared))
    else:
        actions.append(
            CookieAction(
                ACCESS_PAYLOAD_COOKIE,
                access_payload_cookie_value(access_claims),
                httponly=False,
                max_age=access_age,
                **shared,
            )
        )
        actions.append(CookieAction(modes.ACCESS_TOKEN_COOKIE, access_token, max_age=access_age, **shared))
    for action in actions:
        _warn_if_too_large(action)
    return actions


def deleted_cookies() -> list[CookieAction]:
    """Return the deletions of every cookie the current cookie mode sets."""
    names = modes.access_cookie_names(djwto_settings.MODE)
    shared = _shared_attributes()
    return [CookieAction(REFRESH_COOKIE, None, path=refresh_path(), **shared)] + [
        CookieAction(name, None, **shared) for name in names
    ]
