"""Tokens are signed byte for byte as PyJWT signs them (gql_djwto.keys.Signer.sign).

HMAC tokens are put together without PyJWT, for speed; PyJWT signs the others.
"""

from __future__ import annotations

import jwt
import pytest

from gql_djwto.keys import signer
from gql_djwto.tokens import decode, encode

from .keypairs import key_pair

SECRET = 'a-secret-that-is-long-enough-for-hs512-signatures-0123456789abcdefghijklmnopqrstuvwxyz'

CLAIMS = [
    {'type': 'access', 'exp': 2_000_000_000, 'iat': 1_900_000_000, 'jti': 'abc'},
    {
        'type': 'refresh',
        'exp': 2_000_000_000.5,
        'jti': 'ünïcödé-☃-\U0001f600',
        'user': {'username': 'zoë "quoted" \\ back\nslash', 'id': 7, 'perms': ['a.b', 'ç.d']},
        'gen': 3,
        'aud': ['one', 'two'],
        'iss': 'issuer',
        'nested': {'list': [1, 2.5, None, True, {'x': []}]},
    },
]


@pytest.mark.parametrize('algorithm', ['HS256', 'HS384', 'HS512'])
@pytest.mark.parametrize('key_id', [None, 'key-2026'])
@pytest.mark.parametrize('claims', CLAIMS, ids=['plain', 'unicode'])
def test_hmac_tokens_are_what_pyjwt_signs(settings, algorithm, key_id, claims):
    settings.DJWTO_ALGORITHM = algorithm
    settings.DJWTO_SIGNING_KEY = SECRET
    settings.DJWTO_KEY_ID = key_id
    ours = signer().sign(claims)
    headers = {'kid': key_id} if key_id else None
    assert ours == jwt.encode(claims, SECRET, algorithm=algorithm, headers=headers)
    assert signer().header_segment is not None, 'HMAC takes the fast path'


def test_a_bytes_secret_signs_as_pyjwt_does(settings):
    settings.DJWTO_SIGNING_KEY = SECRET.encode()
    assert signer().sign(CLAIMS[0]) == jwt.encode(CLAIMS[0], SECRET.encode(), algorithm='HS256')


def test_a_non_string_issuer_is_refused_as_pyjwt_refuses_it(settings):
    with pytest.raises(TypeError, match='Issuer'):
        signer().sign({**CLAIMS[0], 'iss': 5})


@pytest.mark.parametrize('algorithm', ['RS256', 'ES256'])
def test_asymmetric_tokens_are_signed_by_pyjwt(settings, algorithm):
    settings.DJWTO_ALGORITHM = algorithm
    settings.DJWTO_SIGNING_KEY = key_pair(algorithm, 'A').signing_key
    settings.DJWTO_VERIFYING_KEY = key_pair(algorithm, 'A').verifying_key
    assert signer().header_segment is None
    token = signer().sign(CLAIMS[0])
    header = jwt.get_unverified_header(token)
    assert header['alg'] == algorithm and header['typ'] == 'JWT' and header['kid']


def test_a_signed_token_verifies(settings):
    claims = {'type': 'access', 'exp': 2_000_000_000, 'iat': 1_700_000_000, 'jti': 'j', 'user': {'id': 1}}
    assert decode(encode(claims), 'access') == claims
