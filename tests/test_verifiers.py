"""Other stacks verify our tokens from the JWKS alone: Node's jose (npm) and PyJWT's PyJWKClient.

Each accepts every valid token and refuses what an attacker makes: a token
signed by another key (with our kid or its own), one with ``alg: none``, and
one MACed with our public key as an HMAC secret (algorithm confusion).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.test import Client

from gql_djwto.keys import public_jwk, thumbprint

from .conftest import Api
from .keypairs import ASYMMETRIC, hmac_token, key_pair, key_settings
from .npm_packages import npm_package
from .processes import QUICK_PASSWORDS, demo_environment, free_port, prepared_demo_database
from .test_demo_http import HTTP_TIMEOUT, Demo
from .test_jwks import JWKS, fetch_jwks
from .test_keys import use

JOSE = 'jose@6.2.18'
JOSE_SCRIPT = Path(__file__).resolve().parent / 'verifiers' / 'jose_verify.mjs'
LOGIN = 'mutation { tokenAuth(username: "alice", password: "pass") { access refresh } }'
REFRESH_ACCESS = 'mutation { refreshAccess { access } }'


@pytest.fixture(scope='session')
def jose_entry() -> str:
    return (npm_package(JOSE) / 'dist' / 'webapi' / 'index.js').as_uri()


def jose_verify(jose_entry: str, tokens: list[str], **source: Any) -> list[dict[str, Any]]:
    """Run jose's jwtVerify on each token with keys from ``jwks_url=`` or ``jwks=``."""
    completed = subprocess.run(
        ['node', str(JOSE_SCRIPT)],
        input=json.dumps({'tokens': tokens, **source}),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, 'JOSE_ENTRY': jose_entry},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def pyjwt_verify(url: str, tokens: list[str]) -> list[dict[str, Any]]:
    """Verify as a PyJWT user does: the key from PyJWKClient by kid, the algorithm from that key."""
    client = jwt.PyJWKClient(url)
    results = []
    for token in tokens:
        try:
            key = client.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=[key.algorithm_name])
            results.append({'ok': True, 'jti': claims['jti']})
        except jwt.PyJWTError as error:
            results.append({'ok': False, 'code': type(error).__name__})
    return results


def forgeries(algorithm: str, public_pem: str, kid: str, claims: dict[str, Any]) -> dict[str, str]:
    """What an attacker sends, each with claims copied from a real token (key 'C' is never ours)."""
    other = key_pair(algorithm, 'C')
    other_public = jwt.PyJWS().get_algorithm_by_name(algorithm).prepare_key(other.verifying_key)
    return {
        'another key, our kid': jwt.encode(
            claims, other.signing_key, algorithm=algorithm, headers={'kid': kid}
        ),
        'another key, its kid': jwt.encode(
            claims,
            other.signing_key,
            algorithm=algorithm,
            headers={'kid': thumbprint(public_jwk(other_public, algorithm))},
        ),
        'alg none': jwt.encode(claims, None, algorithm='none', headers={'kid': kid}),
        'HMAC with our public key': hmac_token(
            {'alg': 'HS256', 'typ': 'JWT', 'kid': kid}, claims, public_pem
        ),
    }


def assert_verdicts(results: list[dict[str, Any]], valid: list[str], forged: dict[str, str]) -> None:
    accepted = [result['ok'] for result in results[: len(valid)]]
    refused = {name: not result['ok'] for name, result in zip(forged, results[len(valid) :], strict=True)}
    assert accepted == [True] * len(valid), results
    assert refused == dict.fromkeys(forged, True), results


@pytest.mark.parametrize('algorithm', ASYMMETRIC)
def test_jose_verifies_every_algorithm_from_the_published_key_set(settings, alice, jose_entry, algorithm):
    use(settings, key_settings(algorithm, 'B', fallbacks=('A',)))
    api = Api(Client(), 'JSON')
    api.login()
    jwks = fetch_jwks()
    claims = jwt.decode(api.access, options={'verify_signature': False})
    kid = jwt.get_unverified_header(api.access)['kid']
    old = jwt.encode(
        claims,
        key_pair(algorithm, 'A').signing_key,
        algorithm=algorithm,
        headers={'kid': jwks['keys'][1]['kid']},
    )
    valid = [api.access, old]
    forged = forgeries(algorithm, key_pair(algorithm, 'B').verifying_key, kid, claims)
    assert_verdicts(jose_verify(jose_entry, valid + list(forged.values()), jwks=jwks), valid, forged)
    # gql_djwto agrees.
    assert [
        api.post('mutation { verify { msg } }', bearer=token).errors == []
        for token in valid + list(forged.values())
    ] == [True] * len(valid) + [False] * len(forged)


@pytest.fixture(scope='module', params=['RS256', 'PS256', 'ES256', 'EdDSA'])
def asymmetric_demo(request, tmp_path_factory) -> Iterator[tuple[Demo, str, str]]:
    """The demo with an asymmetric key: the private key given as a file path, the public one as PEM."""
    algorithm = request.param
    folder = tmp_path_factory.mktemp(f'demo-{algorithm}')
    keys = key_pair(algorithm, 'D')
    private = folder / 'private.pem'
    private.write_text(keys.signing_key)
    private.chmod(0o600)
    port = free_port()
    env = demo_environment(
        DEMO_DATABASE=str(prepared_demo_database(request, folder / 'demo.sqlite3')),
        **QUICK_PASSWORDS,
        DJWTO_ALGORITHM=algorithm,
        DJWTO_SIGNING_KEY=str(private),
        DJWTO_VERIFYING_KEY=keys.verifying_key,
    )
    demo = Demo.start(['-m', 'schema_demo', '--port', str(port)], env, folder / 'demo.log', port)
    yield demo, algorithm, keys.verifying_key
    demo.stop()


@pytest.mark.server
def test_jose_and_pyjwt_verify_the_demos_tokens_over_http(asymmetric_demo, jose_entry):
    demo, algorithm, public_pem = asymmetric_demo
    valid = []
    for _ in range(5):
        tokens = demo.graphql(LOGIN)['data']['tokenAuth']
        valid.append(tokens['access'])
        refreshed = demo.graphql(REFRESH_ACCESS, path='/api/token/refresh/graphql/', bearer=tokens['refresh'])
        valid.append(refreshed['data']['refreshAccess']['access'])
    valid = list(dict.fromkeys(valid))  # a refresh in the login's second may sign the same claims
    assert len(valid) >= 5
    claims = jwt.decode(valid[0], options={'verify_signature': False})
    kid = jwt.get_unverified_header(valid[0])['kid']
    forged = forgeries(algorithm, public_pem, kid, claims)
    tokens = valid + list(forged.values())
    url = demo.url + JWKS

    assert_verdicts(jose_verify(jose_entry, tokens, jwks_url=url), valid, forged)
    assert_verdicts(pyjwt_verify(url, tokens), valid, forged)
    verdicts = [
        not demo.graphql('mutation { verify { msg } }', bearer=token).get('errors') for token in tokens
    ]
    assert verdicts == [True] * len(valid) + [False] * len(forged)


@pytest.mark.server
def test_the_demos_jwks_over_http(asymmetric_demo):
    import requests

    demo, algorithm, _ = asymmetric_demo
    response = requests.get(demo.url + JWKS, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert 'max-age=300' in response.headers['Cache-Control']
    (key,) = response.json()['keys']
    assert key['alg'] == algorithm
