"""New keys for an algorithm: a private and public PEM pair, or an HMAC secret.

Used by ``manage.py generate_jwt_key`` and by the demo when it is given an
asymmetric DJWTO_ALGORITHM without keys. Nothing here stores or logs a key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, NamedTuple

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

RSA_BITS = 2048
# Each curve's class; called, it gives the curve.
CURVES: dict[str, Callable[[], ec.EllipticCurve]] = {
    'ES256': ec.SECP256R1,
    'ES256K': ec.SECP256K1,
    'ES384': ec.SECP384R1,
    'ES512': ec.SECP521R1,
    'ES521': ec.SECP521R1,
}
HMAC_SECRET_BYTES = 64  # as long as HS512's hash, the longest


class NewKeys(NamedTuple):
    """DJWTO_SIGNING_KEY and DJWTO_VERIFYING_KEY (None for HMAC) as text."""

    signing_key: str
    verifying_key: str | None


def _private_key(algorithm: str) -> Any:
    if algorithm.startswith(('RS', 'PS')):
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    if algorithm in CURVES:
        return ec.generate_private_key(CURVES[algorithm]())
    if algorithm == 'EdDSA':  # Ed25519, which every JOSE library verifies
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f'no key can be made for {algorithm!r}')


def new_keys(algorithm: str) -> NewKeys:
    """Return a new key pair for ``algorithm`` as PEM text, or a random secret for HS*."""
    if algorithm.startswith('HS'):
        return NewKeys(secrets.token_urlsafe(HMAC_SECRET_BYTES), None)
    private = _private_key(algorithm)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    )
    return NewKeys(private_pem.decode(), public_pem.decode())
