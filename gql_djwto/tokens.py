"""Encode claims into a JWT and decode a JWT back into verified claims."""

from __future__ import annotations

from typing import Any

import jwt

from .claims import Claims
from .errors import InvalidToken
from .settings import djwto_settings

ACCESS = 'access'
REFRESH = 'refresh'


def encode(claims: Claims) -> str:
    """Sign ``claims`` with the configured key and algorithm."""
    return jwt.encode(
        claims, djwto_settings.SIGNING_KEY, algorithm=djwto_settings.ALGORITHM
    )


def _exp_required(jwt_type: str | None) -> bool:
    refresh_expires = djwto_settings.REFRESH_TOKEN_LIFETIME is not None
    if jwt_type == REFRESH:
        return refresh_expires
    # An access token keeps the refresh token's exp when it has no lifetime.
    return djwto_settings.ACCESS_TOKEN_LIFETIME is not None or refresh_expires


def _decode_options(jwt_type: str | None) -> dict[str, Any]:
    required = ['type']
    options: dict[str, Any] = {}
    if djwto_settings.ISS_CLAIM:
        options['issuer'] = djwto_settings.ISS_CLAIM
        required.append('iss')
    if djwto_settings.AUD_CLAIM:
        options['audience'] = djwto_settings.AUD_CLAIM
        required.append('aud')
    if djwto_settings.SUB_CLAIM:
        required.append('sub')
    if djwto_settings.IAT_CLAIM:
        required.append('iat')
    if djwto_settings.JTI_CLAIM:
        required.append('jti')
    if _exp_required(jwt_type):
        required.append('exp')
    options['options'] = {'require': required}
    return options


def decode(token: str, jwt_type: str | None = None) -> Claims:
    """Return the verified claims of ``token`` or raise InvalidToken.

    ``jwt_type`` names the job the token is for; it decides whether ``exp``
    is required. Checking the ``type`` claim itself is the caller's part,
    because its message depends on where the token came from.
    """
    key = djwto_settings.VERIFYING_KEY or djwto_settings.SIGNING_KEY
    try:
        claims = jwt.decode(
            token, key, algorithms=[djwto_settings.ALGORITHM], **_decode_options(jwt_type)
        )
    except jwt.InvalidTokenError as error:
        raise InvalidToken(str(error)) from None
    except (ValueError, TypeError):
        # Malformed keys or token parts that PyJWT does not wrap.
        raise InvalidToken('Invalid token.') from None
    subject = djwto_settings.SUB_CLAIM
    if subject and claims.get('sub') != subject:
        raise InvalidToken('Invalid subject')
    if claims.get('type') not in (ACCESS, REFRESH):
        raise InvalidToken('Invalid token type.')
    return claims
