"""/.well-known/jwks.json: the public keys, and every asymmetric algorithm end to end."""

from __future__ import annotations

import jwt
import pytest
from django.test import Client

from gql_djwto.jwks import NO_PUBLIC_KEYS
from gql_djwto.keys import thumbprint

from .conftest import VERIFY, Api
from .keypairs import ASYMMETRIC, key_pair, key_settings
from .test_keys import signed, use

JWKS = '/.well-known/jwks.json'
PUBLIC_KEY_MEMBERS = {'RSA': {'kty', 'n', 'e'}, 'EC': {'kty', 'crv', 'x', 'y'}, 'OKP': {'kty', 'crv', 'x'}}
JWK_PARAMETERS = {'kid', 'alg', 'use'}


def fetch_jwks() -> dict:
    response = Client().get(JWKS)
    assert response.status_code == 200, response.content
    assert response['Content-Type'] == 'application/json'
    assert set(response['Cache-Control'].split(', ')) == {'public', 'max-age=300'}
    return response.json()


def assert_public_only(jwk: dict) -> None:
    """Every member of ``jwk`` is a public key member or a JWK parameter: nothing else, ever."""
    assert set(jwk) == PUBLIC_KEY_MEMBERS[jwk['kty']] | JWK_PARAMETERS, jwk
    assert all(isinstance(value, str) for value in jwk.values()), jwk


def public_numbers(key):
    return key.public_bytes_raw() if hasattr(key, 'public_bytes_raw') else key.public_numbers()


@pytest.mark.parametrize('algorithm', ASYMMETRIC)
def test_every_asymmetric_algorithm_end_to_end(settings, alice, algorithm):
    """Log in, publish, verify from the JWKS alone; a fallback key's token verifies from its entry."""
    use(settings, key_settings(algorithm, 'B', fallbacks=('A',)))
    keys = fetch_jwks()['keys']
    assert len(keys) == 2
    for jwk in keys:
        assert_public_only(jwk)
        assert (jwk['alg'], jwk['use']) == (algorithm, 'sig')
        assert jwk['kid'] == thumbprint({name: jwk[name] for name in PUBLIC_KEY_MEMBERS[jwk['kty']]})
    published = {jwk['kid']: jwt.PyJWK(jwk) for jwk in keys}
    current, fallback = (
        jwt.PyJWS().get_algorithm_by_name(algorithm).prepare_key(key_pair(algorithm, name).verifying_key)
        for name in 'BA'
    )
    assert [public_numbers(published[jwk['kid']].key) for jwk in keys] == [
        public_numbers(current),
        public_numbers(fallback),
    ]

    api = Api(Client(), 'JSON')
    api.login()
    kid = jwt.get_unverified_header(api.access)['kid']
    assert kid == keys[0]['kid']
    assert jwt.decode(api.access, published[kid].key, algorithms=[algorithm])['type'] == 'access'
    assert api.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'

    old = signed(algorithm, 'A', kid=keys[1]['kid'], user={'username': 'alice', 'id': alice.pk, 'perms': []})
    assert jwt.decode(old, published[keys[1]['kid']].key, algorithms=[algorithm])['jti'] == 'j'
    assert api.post(VERIFY, bearer=old).field('verify')['msg'] == 'Token is valid'


def test_a_public_key_given_twice_is_published_once(settings):
    use(settings, key_settings('ES256', 'B', fallbacks=('A', 'B')))
    assert len(fetch_jwks()['keys']) == 2


def test_the_key_id_setting_names_the_published_keys(settings):
    use(settings, key_settings('EdDSA', 'B', fallbacks=('A',), key_ids=True))
    assert [jwk['kid'] for jwk in fetch_jwks()['keys']] == ['B', 'A']


def test_hmac_has_no_jwks_and_never_shows_its_secrets(settings):
    use(settings, key_settings('HS256', 'B', fallbacks=('A',)))
    response = Client().get(JWKS)
    assert response.status_code == 404
    assert response.json() == {'error': NO_PUBLIC_KEYS}
    body = response.content.decode()
    assert key_pair('HS256', 'A').signing_key not in body and key_pair('HS256', 'B').signing_key not in body


def test_jwks_answers_get_and_head_only():
    assert Client().post(JWKS).status_code == 405


def test_a_private_key_among_the_public_ones_is_never_published(settings, caplog):
    use(settings, key_settings('ES256', 'B'))
    private = key_pair('ES256', 'A').signing_key
    settings.DJWTO_VERIFYING_KEY_FALLBACKS = [private]
    response = Client().get(JWKS)
    assert response.status_code == 500
    assert response.json() == {'error': 'Failed to process request.', 'reason': 'NOT_PROCESSED'}
    assert 'DJWTO_VERIFYING_KEY_FALLBACKS[0] holds a key that cannot verify' in caplog.text
    body_and_log = response.content.decode() + caplog.text
    assert private not in body_and_log and private.splitlines()[1] not in body_and_log
