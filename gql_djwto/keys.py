"""The keys that sign and verify tokens: the current key, its fallbacks and their key ids.

With one key, changing DJWTO_SIGNING_KEY logs every user out at once. Here
the current key signs, and a token verifies with the key its ``kid`` header
names among the current key and the fallbacks (DJWTO_SIGNING_KEY_FALLBACKS
for HMAC secrets, DJWTO_VERIFYING_KEY_FALLBACKS for public keys), as
Django's SECRET_KEY_FALLBACKS does for its own signatures. A token without
``kid`` (every token djwto issued) is tried against the current key, then
each fallback. Keys are prepared once per settings, never per request.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import jwt
from django.core.exceptions import ImproperlyConfigured

from . import errors
from .errors import InvalidToken, Reason
from .settings import djwto_settings

SIGNING_FALLBACKS = 'DJWTO_SIGNING_KEY_FALLBACKS'
VERIFYING_FALLBACKS = 'DJWTO_VERIFYING_KEY_FALLBACKS'

# The members of a public JWK, by key type: RFC 7638's members for the
# thumbprint, and all that the JWKS ever publishes of a key.
PUBLIC_MEMBERS = {'RSA': ('e', 'kty', 'n'), 'EC': ('crv', 'kty', 'x', 'y'), 'OKP': ('crv', 'kty', 'x')}


@functools.lru_cache(maxsize=32)
def prepared_key(key: str | bytes, algorithm: str, use: str, setting: str) -> Any:
    """Return ``key`` as PyJWT's ``algorithm`` uses it to ``use`` ('sign' or 'verify').

    A key that cannot do the job (not PEM, a private key where a public one
    verifies, a PEM key as an HMAC secret) is a settings error, raised as
    ImproperlyConfigured naming ``setting`` and never showing the key.
    """
    try:
        prepared = jwt.PyJWS().get_algorithm_by_name(algorithm).prepare_key(key)
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        kind = type(error).__name__
        raise ImproperlyConfigured(
            f'{setting} cannot be used with DJWTO_ALGORITHM={algorithm!r} ({kind}).'
        ) from None
    if not isinstance(prepared, (bytes, str)) and not hasattr(prepared, use):
        if use == 'sign':
            advice = 'it must be the private key.'
        elif setting == 'DJWTO_SIGNING_KEY':
            advice = 'set DJWTO_VERIFYING_KEY to the public key.'
        else:
            advice = 'it must be a public key.'
        raise ImproperlyConfigured(f'{setting} holds a key that cannot {use} with {algorithm}; {advice}')
    return prepared


def public_jwk(public_key: Any, algorithm: str) -> dict[str, str]:
    """Return the public members of ``public_key`` as a JWK: never a private member."""
    members = jwt.PyJWS().get_algorithm_by_name(algorithm).to_jwk(public_key, as_dict=True)
    return {name: members[name] for name in PUBLIC_MEMBERS[members['kty']]}


def thumbprint(jwk: dict[str, str]) -> str:
    """Return the RFC 7638 thumbprint (SHA-256, base64url) of a public JWK."""
    canonical = json.dumps(jwk, sort_keys=True, separators=(',', ':')).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b'=').decode()


class DuplicateKeyId(ImproperlyConfigured):
    """Two different keys have the same key id: a token naming it could not say which verifies it."""


def _segment(data: bytes) -> bytes:
    """Base64url without padding, as a JWT's segments are written."""
    return base64.urlsafe_b64encode(data).rstrip(b'=')


# PyJWT's JSON for claims (compact, ASCII), made once rather than per token.
_COMPACT_JSON = json.JSONEncoder(separators=(',', ':'))
# The hash of each HMAC algorithm, for signing without PyJWT's per-call key checks.
HMAC_DIGESTS = {'HS256': 'sha256', 'HS384': 'sha384', 'HS512': 'sha512'}


class Signer(NamedTuple):
    """The current private key or secret, ready to sign, and the header it adds."""

    key: Any
    algorithm: str
    headers: dict[str, str] | None
    # For HMAC: the token's first segment, written once, as PyJWT writes it.
    header_segment: bytes | None = None

    def sign(self, claims: dict[str, Any]) -> str:
        """Return the token of ``claims``: byte for byte what ``jwt.encode`` returns."""
        return self.sign_with_json(claims)[0]

    def sign_with_json(self, claims: dict[str, Any]) -> tuple[str, str]:
        """Return the token of ``claims`` and its claims as the JSON it carries.

        HMAC tokens are put together here: PyJWT checks the key (is it a
        PEM? an SSH key?) on every call, which costs more than the
        signature; the key was checked once, by :func:`prepared_key`.
        """
        if self.header_segment is None or not isinstance(claims.get('iss', ''), str):
            token = jwt.encode(claims, self.key, algorithm=self.algorithm, headers=self.headers)
            payload = token.split('.')[1]
            return token, base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)).decode()
        claims_json = _COMPACT_JSON.encode(claims)
        signing_input = self.header_segment + b'.' + _segment(claims_json.encode())
        signature = hmac.digest(self.key, signing_input, HMAC_DIGESTS[self.algorithm])
        return (signing_input + b'.' + _segment(signature)).decode(), claims_json


def _read_signer() -> Signer:
    algorithm = djwto_settings.ALGORITHM
    key = prepared_key(djwto_settings.SIGNING_KEY, algorithm, 'sign', 'DJWTO_SIGNING_KEY')
    kid = djwto_settings.KEY_ID
    if kid is None and djwto_settings.is_asymmetric:
        kid = thumbprint(public_jwk(key.public_key(), algorithm))
    headers = {'kid': kid} if kid else None
    header_segment = None
    if algorithm in HMAC_DIGESTS and isinstance(key, bytes):
        header = {'typ': 'JWT', 'alg': algorithm, **(headers or {})}
        header_segment = _segment(json.dumps(header, separators=(',', ':'), sort_keys=True).encode())
    return Signer(key, algorithm, headers, header_segment)


def signer() -> Signer:
    """Return the key that signs every new token: always the current one."""
    return djwto_settings.derived(('signer',), _read_signer)


@dataclass(frozen=True)
class VerifyingKey:
    """One key that verifies tokens, named by the setting it came from."""

    setting: str
    kid: str | None
    key: Any = field(repr=False)
    jwk: dict[str, str] | None = field(repr=False)  # the public JWK; None for HMAC secrets


def _fallback_entries(setting: str, value: Any) -> Iterator[tuple[str, str | None, Any]]:
    """Yield (where, kid, key) for each entry of a fallbacks setting: a key, or {'kid': ..., 'key': ...}."""
    for index, entry in enumerate(value or ()):
        where = f'{setting}[{index}]'
        if isinstance(entry, dict):
            yield where, entry.get('kid'), entry.get('key')
        else:
            yield where, None, entry


def verifying_key(setting: str, kid: str | None, key: Any, algorithm: str) -> VerifyingKey:
    """Prepare ``key`` to verify; an asymmetric key without ``kid`` is named by its thumbprint."""
    prepared = prepared_key(key, algorithm, 'verify', setting)
    if isinstance(prepared, (bytes, str)):
        return VerifyingKey(setting, kid, prepared, None)
    jwk = public_jwk(prepared, algorithm)
    return VerifyingKey(setting, kid or thumbprint(jwk), prepared, jwk)


def _kid(token: str) -> Any:
    """Return the ``kid`` of the token's header, or None; PyJWT refuses a malformed header itself.

    Reads the header alone (PyJWT's get_unverified_header decodes the whole
    token): a kid is looked up on every verification of a new token.
    """
    segment = token.partition('.')[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + '=' * (-len(segment) % 4)))
    except (ValueError, TypeError, RecursionError):  # binascii.Error and JSONDecodeError are ValueErrors
        return None
    return header.get('kid') if isinstance(header, dict) else None


class KeySet:
    """The keys that verify tokens, the current one first; equal when made of the same settings.

    A KeySet is part of the rules that key the per-process memory of
    verified tokens, so it compares and hashes by the key material and key
    ids it was made from (its hash computed once), never by identity.
    """

    def __init__(self, algorithm: str, keys: tuple[VerifyingKey, ...], material: tuple[Any, ...]) -> None:
        self.algorithm = algorithm
        self.keys = keys
        self.by_kid: dict[str, VerifyingKey] = {}
        for key in keys:
            if key.kid is not None:
                self.by_kid.setdefault(key.kid, key)
        self._material = (algorithm, material)
        self._hash = hash(self._material)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeySet) and self._material == other._material

    def __repr__(self) -> str:
        return f'<KeySet {self.algorithm} {[key.setting for key in self.keys]}>'

    def candidates(self, token: str) -> tuple[VerifyingKey, ...]:
        """Return the keys to try on ``token``: the one its kid names, or all of them without a kid.

        While no key has a key id (HMAC without DJWTO_KEY_ID, as in djwto)
        the header is not read at all. An unknown kid is refused at once:
        no key is tried.
        """
        if not self.by_kid:
            return self.keys
        kid = _kid(token)
        if kid is None:
            return self.keys
        if not isinstance(kid, str):
            return self.keys[:1]  # PyJWT refuses it with its own words
        key = self.by_kid.get(kid)
        if key is None:
            raise InvalidToken(errors.UNKNOWN_KEY_ID, reason=Reason.TOKEN_INVALID)
        return (key,)

    def decode(self, token: str, **options: Any) -> dict[str, Any]:
        """``jwt.decode`` with the right key; a signature that fails one candidate tries the next."""
        *others, last = self.candidates(token)
        for key in others:
            try:
                return jwt.decode(token, key.key, **options)
            except jwt.InvalidSignatureError:
                continue
        return jwt.decode(token, last.key, **options)


def fallbacks() -> Iterator[tuple[str, str | None, Any]]:
    """Yield (where, kid, key) for each fallback of the algorithm's kind.

    HMAC algorithms verify with secrets (DJWTO_SIGNING_KEY_FALLBACKS), the
    others with public keys (DJWTO_VERIFYING_KEY_FALLBACKS); the other
    setting given as well is a settings error, not silently ignored.
    """
    asymmetric = djwto_settings.is_asymmetric
    used, unused = (
        (VERIFYING_FALLBACKS, SIGNING_FALLBACKS) if asymmetric else (SIGNING_FALLBACKS, VERIFYING_FALLBACKS)
    )
    if getattr(djwto_settings, unused.removeprefix('DJWTO_')):
        kind = 'public keys' if asymmetric else 'HMAC secrets'
        raise ImproperlyConfigured(
            f'{unused} is set, but DJWTO_ALGORITHM={djwto_settings.ALGORITHM!r} verifies with '
            f'{kind}: put the old keys in {used}.'
        )
    yield from _fallback_entries(used, getattr(djwto_settings, used.removeprefix('DJWTO_')))


def _current_and_fallback_entries() -> Iterator[tuple[str, str | None, Any]]:
    """The current verifying key, then the fallbacks."""
    current = 'DJWTO_VERIFYING_KEY' if djwto_settings.VERIFYING_KEY else 'DJWTO_SIGNING_KEY'
    yield current, djwto_settings.KEY_ID, djwto_settings.VERIFYING_KEY or djwto_settings.SIGNING_KEY
    yield from fallbacks()


def _same_key(one: VerifyingKey, other: VerifyingKey) -> bool:
    return one.jwk == other.jwk if one.jwk is not None else one.key == other.key


def _read_key_set() -> KeySet:
    algorithm = djwto_settings.ALGORITHM
    entries = list(_current_and_fallback_entries())
    keys = tuple(verifying_key(where, kid, key, algorithm) for where, kid, key in entries)
    seen: dict[str, VerifyingKey] = {}
    for key in keys:
        first = seen.setdefault(key.kid, key) if key.kid else key
        if first is not key and not _same_key(first, key):
            raise DuplicateKeyId(
                f'{key.setting} and {first.setting} have the same key id {key.kid!r} for two '
                'different keys: a token naming it could not say which verifies it.'
            )
    return KeySet(algorithm, keys, tuple((kid, key) for _, kid, key in entries))


def key_set() -> KeySet:
    """Return the keys that verify tokens under the current settings, prepared once."""
    return djwto_settings.derived(('key_set',), _read_key_set)


def _read_jwks() -> bytes | None:
    if not djwto_settings.is_asymmetric:
        return None
    published, seen = [], set()
    for key in key_set().keys:
        if key.jwk is None or key.kid in seen:
            continue  # the same public key given twice is published once
        seen.add(key.kid)
        published.append({**key.jwk, 'kid': key.kid, 'alg': djwto_settings.ALGORITHM, 'use': 'sig'})
    return json.dumps({'keys': published}).encode()


def jwks_json() -> bytes | None:
    """Return the JSON Web Key Set of the public keys, current first; None for HMAC."""
    return djwto_settings.derived(('jwks',), _read_jwks)
