"""Keys for the key-rotation tests: one per (algorithm, name), made once per test run."""

from __future__ import annotations

import functools
from typing import Any

from gql_djwto.keygen import NewKeys, new_keys

ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']


@functools.cache
def key_pair(algorithm: str, name: str) -> NewKeys:
    """The key ``name`` ('A', 'B', ...) for ``algorithm``: the same object all run long."""
    return new_keys(algorithm)


def key_settings(
    algorithm: str, current: str, fallbacks: tuple[str, ...] = (), key_ids: bool = False
) -> dict[str, Any]:
    """DJWTO_* settings signing with key ``current``, older keys ``fallbacks`` still verifying.

    With ``key_ids``, each key is named by DJWTO_KEY_ID (its name) and the
    fallbacks carry theirs; without, HMAC keys have none and asymmetric
    keys their thumbprint.
    """
    keys = key_pair(algorithm, current)
    hmac = keys.verifying_key is None
    entries = [
        {'kid': name, 'key': key_pair(algorithm, name)[0 if hmac else 1]}
        if key_ids
        else key_pair(algorithm, name)[0 if hmac else 1]
        for name in fallbacks
    ]
    return {
        'DJWTO_ALGORITHM': algorithm,
        'DJWTO_SIGNING_KEY': keys.signing_key,
        'DJWTO_VERIFYING_KEY': keys.verifying_key,
        'DJWTO_KEY_ID': current if key_ids else None,
        'DJWTO_SIGNING_KEY_FALLBACKS': entries if hmac else [],
        'DJWTO_VERIFYING_KEY_FALLBACKS': [] if hmac else entries,
    }


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def hmac_token(header: dict[str, Any], claims: dict[str, Any], secret: str | bytes) -> str:
    """A token whose header is exactly ``header``, signed with HMAC-SHA256 by ``secret`` as raw bytes.

    PyJWT refuses to do this with a PEM key as the secret (the algorithm
    confusion attack) or with a kid that is not a string; an attacker does it by hand.
    """
    import hashlib
    import hmac
    import json

    signing_input = '.'.join(_b64(json.dumps(part).encode()) for part in (header, claims))
    secret = secret.encode() if isinstance(secret, str) else secret
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f'{signing_input}.{_b64(signature)}'
