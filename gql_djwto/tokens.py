"""Encode claims into a JWT and decode a JWT back into verified claims."""

from __future__ import annotations

import json
import math
import time
from typing import Any, NamedTuple

import jwt
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import override

from . import errors
from .claims import Claims, session_end
from .errors import InvalidToken, Message, Reason
from .keys import KeySet, key_set, signer
from .lru import LRU
from .pyjwt_texts import pyjwt_message
from .settings import djwto_settings

ACCESS = 'access'
REFRESH = 'refresh'

# How many verified tokens each process remembers, and the longest it keeps.
VERIFIED_TOKENS_SIZE = 1024
VERIFIED_TOKEN_MAX_LENGTH = 8192


NUMERIC_CLAIMS = ('exp', 'iat', 'nbf')


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_storable_text(value: Any) -> bool:
    if not isinstance(value, str) or not value or '\x00' in value:
        return False
    try:
        value.encode('utf-8')  # fails on a lone surrogate, which no database column takes
    except UnicodeEncodeError:
        return False
    return True


def claims_error(claims: Claims) -> Message | None:
    """Return why ``claims`` cannot be trusted as they are, or None if they can.

    A key holder may get claims wrong (a project's claims handler, another
    service sharing the key, old djwto tokens): times as strings, an empty
    jti, permissions as a string that would grant by substring. Such a token
    weakens nothing if it is refused whole.
    """
    for claim in NUMERIC_CLAIMS:
        if claim in claims and not _is_number(claims[claim]):
            return errors.CLAIM_NOT_A_NUMBER.format(claim=claim)
    if 'jti' in claims and not _is_storable_text(claims['jti']):
        return errors.JTI_NOT_VALID
    user = claims.get('user')
    if isinstance(user, dict) and 'perms' in user:
        perms = user['perms']
        if not isinstance(perms, list) or not all(isinstance(perm, str) for perm in perms):
            return errors.PERMS_NOT_VALID
    return None


def encode(claims: Claims) -> str:
    """Sign ``claims`` with the configured key and algorithm.

    Claims that :func:`decode` would refuse are a settings error: signing
    them would hand out tokens that no operation accepts.
    """
    return _signed(claims)[0]


def _signed(claims: Claims) -> tuple[str, str]:
    """Return the token of ``claims`` and the claims' JSON in it, as :func:`encode` checks them."""
    if claims_error(claims) is not None:
        with override(None):  # the operator's message: English, as Django's own
            raise ImproperlyConfigured(errors.CLAIMS_NOT_SIGNED.format(reason=claims_error(claims)))
    return signer().sign_with_json(claims)


class DecodeRules(NamedTuple):
    """Everything but the token and the clock that decides whether a token verifies."""

    keys: KeySet
    algorithm: str
    issuer: str | None
    audience: str | tuple[str, ...] | None
    subject: str | None
    required: tuple[str, ...]
    leeway: float  # seconds of clock skew allowed for exp, nbf and iat


def _exp_required(jwt_type: str | None) -> bool:
    refresh_expires = djwto_settings.REFRESH_TOKEN_LIFETIME is not None
    if jwt_type == REFRESH:
        return refresh_expires
    # An access token keeps the refresh token's exp when it has no lifetime.
    return djwto_settings.ACCESS_TOKEN_LIFETIME is not None or refresh_expires


def _read_decode_rules(jwt_type: str | None) -> DecodeRules:
    algorithm = djwto_settings.ALGORITHM
    issuer, audience = djwto_settings.ISS_CLAIM, djwto_settings.AUD_CLAIM
    subject = djwto_settings.SUB_CLAIM
    required = ['type']
    for claim, wanted in (
        ('iss', issuer),
        ('aud', audience),
        ('sub', subject),
        ('iat', djwto_settings.IAT_CLAIM),
        ('jti', djwto_settings.JTI_CLAIM),
        ('exp', _exp_required(jwt_type)),
    ):
        if wanted:
            required.append(claim)
    if isinstance(audience, (list, tuple)):
        audience = tuple(audience)
    return DecodeRules(
        key_set(),
        algorithm,
        issuer or None,
        audience or None,
        subject or None,
        tuple(required),
        djwto_settings.LEEWAY.total_seconds(),
    )


def decode_rules(jwt_type: str | None) -> DecodeRules:
    """Return the rules the current settings set for a token read for ``jwt_type``.

    Reading the ten settings costs as much as a remembered verification, so
    the rules are kept with the settings' values and forgotten with them.
    """
    return djwto_settings.derived(('decode_rules', jwt_type), lambda: _read_decode_rules(jwt_type))


# PyJWT's names of the time claims, in the order it checks them.
TIME_CLAIM_NAMES = {'iat': 'Issued At', 'nbf': 'Not Before', 'exp': 'Expiration Time'}


def _infinite_time_claim(token: str) -> Message:
    """Return PyJWT's message for a time claim that is an infinite number.

    PyJWT before 2.15 lets ``int()`` of such a claim escape as OverflowError
    (after checking the signature); later versions refuse it with these words,
    which every version here answers.
    """
    claims = jwt.decode(token, options={'verify_signature': False})
    for claim, name in TIME_CLAIM_NAMES.items():
        value = claims.get(claim)
        if isinstance(value, float) and not math.isfinite(value):
            return pyjwt_message(f'{name} claim ({claim}) must be an integer.')
    return errors.INVALID_TOKEN


def _is_readable(token: str) -> bool:
    """Tell whether ``token`` is a JWT at all: segments, header and claims that decode."""
    try:
        jwt.decode(token, options={'verify_signature': False})
    except (jwt.InvalidTokenError, ValueError, TypeError, RecursionError):
        return False
    return True


def _pyjwt_reason(error: jwt.InvalidTokenError, token: str) -> str:
    """Return what a client can do about PyJWT's refusal of ``token``.

    PyJWT's DecodeError covers both a token that is not a JWT and claims of
    the wrong type in a JWT; only the first is TOKEN_MALFORMED. This runs on
    refusals only.
    """
    if isinstance(error, jwt.ExpiredSignatureError):
        return Reason.TOKEN_EXPIRED
    if isinstance(error, jwt.ImmatureSignatureError):  # nbf or iat in the future
        return Reason.TOKEN_NOT_YET_VALID
    if (
        isinstance(error, jwt.DecodeError)
        and not isinstance(error, jwt.InvalidSignatureError)
        and not _is_readable(token)
    ):
        return Reason.TOKEN_MALFORMED
    return Reason.TOKEN_INVALID


def _ended_with_its_session(token: str, rules: DecodeRules) -> bool:
    """Tell whether an expired token expired because its session reached DJWTO_MAX_SESSION_LIFETIME.

    Then logging in again is the only way on, and the client is told so
    (SESSION_EXPIRED), not to refresh. Runs on expired tokens only.
    """
    if djwto_settings.MAX_SESSION_LIFETIME is None:
        return False
    try:
        claims = rules.keys.decode(
            token,
            algorithms=[rules.algorithm],
            leeway=rules.leeway,
            options={'verify_exp': False, 'verify_aud': False, 'verify_iss': False},
        )
    except (jwt.InvalidTokenError, InvalidToken, ValueError, TypeError, OverflowError):
        return False
    end = session_end(claims)
    exp = claims.get('exp')
    return end is not None and isinstance(exp, (int, float)) and exp >= end


def _verify(token: str, rules: DecodeRules) -> Claims:
    """Check ``token`` against ``rules`` with PyJWT and return its claims."""
    try:
        claims = rules.keys.decode(
            token,
            algorithms=[rules.algorithm],
            issuer=rules.issuer,
            audience=list(rules.audience) if isinstance(rules.audience, tuple) else rules.audience,
            options={'require': list(rules.required)},
            leeway=rules.leeway,
        )
    except jwt.ExpiredSignatureError as error:
        if _ended_with_its_session(token, rules):
            raise InvalidToken(errors.SESSION_EXPIRED, reason=Reason.SESSION_EXPIRED) from None
        raise InvalidToken(pyjwt_message(str(error)), reason=Reason.TOKEN_EXPIRED) from None
    except jwt.InvalidTokenError as error:
        raise InvalidToken(pyjwt_message(str(error)), reason=_pyjwt_reason(error, token)) from None
    except OverflowError:
        raise InvalidToken(_infinite_time_claim(token), reason=Reason.TOKEN_INVALID) from None
    except (ValueError, TypeError):
        # Malformed keys or token parts that PyJWT does not wrap.
        raise InvalidToken(errors.INVALID_TOKEN, reason=Reason.TOKEN_MALFORMED) from None
    if rules.subject and claims.get('sub') != rules.subject:
        raise InvalidToken(errors.INVALID_SUBJECT, reason=Reason.TOKEN_INVALID)
    if claims.get('type') not in (ACCESS, REFRESH):
        raise InvalidToken(errors.INVALID_TOKEN_TYPE, reason=Reason.TOKEN_INVALID)
    problem = claims_error(claims)
    if problem is not None:
        raise InvalidToken(problem, reason=Reason.TOKEN_INVALID)
    return claims


class _Verified(NamedTuple):
    """A token that passed every check; only the clock can make it fail later."""

    claims_json: str
    valid_from: float | None  # widened by the leeway, as PyJWT widens them
    valid_until: float | None

    def is_current(self, now: float) -> bool:
        # PyJWT refuses iat or nbf > now, and exp <= now.
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )


class VerifiedTokens(LRU[_Verified]):
    """A bounded LRU map of (token, rules) to tokens that verified.

    A client sends the same access token with every request of its life, and
    checking its signature again each time is most of a protected request's
    cost. Everything that decides the outcome but the clock (the key set,
    algorithm, issuer, audience, subject, required claims, leeway) is part of the key, so a
    settings change never meets an old answer; the clock is checked on every
    hit, and a token no longer current is decoded afresh, so it fails with
    PyJWT's own message. Claims are kept as JSON, so no caller holds the cache's copy.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, token: str, rules: DecodeRules) -> str | None:
        """Return the claims, as JSON, of a token verified before and still current, else None."""
        entry = self._recall((token, rules))
        if entry is None:
            return None
        # PyJWT reads datetime.now(); time.time() agrees with it on whole seconds.
        if not entry.is_current(time.time()):
            return None
        return entry.claims_json

    def add(self, token: str, rules: DecodeRules, claims: Claims, claims_json: str) -> None:
        if len(token) > VERIFIED_TOKEN_MAX_LENGTH:
            return
        times = [int(claims[claim]) for claim in ('iat', 'nbf') if claim in claims]
        entry = _Verified(
            claims_json,
            valid_from=max(times) - rules.leeway if times else None,
            valid_until=int(claims['exp']) + rules.leeway if 'exp' in claims else None,
        )
        self._keep((token, rules), entry, self.size)


verified_tokens = VerifiedTokens(VERIFIED_TOKENS_SIZE)


def _passes(claims: Claims, rules: DecodeRules) -> bool:
    """Tell whether claims just signed pass ``rules``, the clock aside."""
    if djwto_settings.is_asymmetric or rules.keys.keys[0].key != signer().key:
        return False  # verified with another key than the one signing
    if any(claim not in claims for claim in rules.required) or claims['type'] not in (ACCESS, REFRESH):
        return False
    if (rules.issuer and claims.get('iss') != rules.issuer) or (
        rules.subject and claims.get('sub') != rules.subject
    ):
        return False
    if rules.audience:
        wanted = set(rules.audience) if isinstance(rules.audience, tuple) else {rules.audience}
        audience = claims.get('aud')
        held = (
            {audience}
            if isinstance(audience, str)
            else set(audience)
            if isinstance(audience, list)
            else set()
        )
        return bool(wanted & held)
    return True


def encode_remembered(claims: Claims, jwt_type: str) -> str:
    """Sign ``claims`` and remember the token as verified for ``jwt_type``, when it would verify.

    A rotated refresh token is new on every refresh, so it would always
    miss the memory of verified tokens; the claims that were just signed
    are known to pass the rules (checked here, but for the clock, which
    every hit checks), so the signature need not be checked again when the
    token comes back to this process.
    """
    token, claims_json = _signed(claims)
    rules = decode_rules(jwt_type)
    if _passes(claims, rules):
        verified_tokens.add(token, rules, claims, claims_json)
    return token


def decode_to_json(token: str, jwt_type: str | None = None) -> str:
    """Return the verified claims of ``token`` as JSON, or raise InvalidToken.

    JSON is how claims are shared: each reader makes its own dict of them
    with ``json.loads``, so no reader can change what another one sees.
    """
    rules = decode_rules(jwt_type)
    claims_json = verified_tokens.get(token, rules)
    if claims_json is None:
        claims = _verify(token, rules)
        claims_json = json.dumps(claims)
        verified_tokens.add(token, rules, claims, claims_json)
    return claims_json


def decode(token: str, jwt_type: str | None = None) -> Claims:
    """Return the verified claims of ``token`` (a dict of the caller's own) or raise InvalidToken.

    ``jwt_type`` names the job the token is for; it decides whether ``exp``
    is required. Checking the ``type`` claim itself is the caller's part,
    because its message depends on where the token came from.
    """
    claims: Claims = json.loads(decode_to_json(token, jwt_type))
    return claims
