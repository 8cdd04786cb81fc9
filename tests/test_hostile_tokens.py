"""Hostile tokens: every case of the corpus, to every operation that reads a token, in every mode.

Each one must be refused with a clean FORBIDDEN GraphQL error, change
nothing (no blacklist row, no signal, no token cookie set or deleted) and
log nothing at ERROR. The count tried is the number of test ids:
cases (tests/hostile_tokens.py) x operations x modes.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from gql_djwto.claims import access_claims_from_refresh, build_refresh_claims
from gql_djwto.models import JWTBlacklist
from gql_djwto.settings import djwto_settings

from .conftest import (
    DELETE_COOKIES,
    GRAPHQL,
    ME,
    REFRESH_ACCESS,
    REFRESH_GRAPHQL,
    REVOKE,
    UPDATE_REFRESH,
    VERIFY,
    VERIFY_REFRESH,
    Api,
    Result,
)
from .hostile_tokens import (
    ACCESS,
    AUDIENCE,
    CASES,
    ISSUER,
    REFRESH,
    SUBJECT,
    Cookies,
    Forge,
    Header,
    expected_reason,
)

# name: (document, the field it answers under, the kind of token it reads)
OPERATIONS = {
    'refreshAccess': (REFRESH_ACCESS, 'refreshAccess', REFRESH),
    'updateRefresh': (UPDATE_REFRESH, 'updateRefresh', REFRESH),
    'revoke': (REVOKE, 'revoke', REFRESH),
    'verifyAccess': (VERIFY, 'verify', ACCESS),
    'verifyRefresh': (VERIFY_REFRESH, 'verify', REFRESH),
    'deleteCookies': (DELETE_COOKIES, 'deleteCookies', ACCESS),
    'me': (ME, 'me', ACCESS),
}
TOKEN_COOKIES = {'jwt_refresh', 'jwt_access', 'jwt_access_token', 'jwt_access_payload'}
# A CSRF secret of Django's format: the same value in the cookie and the header passes the check.
CSRF_SECRET = 'hostiletokenscsrfsecret012345678'


@pytest.fixture(scope='session')
def keys() -> SimpleNamespace:
    """The server's RSA key pair and an attacker's, generated once."""
    server = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = server.public_key()
    return SimpleNamespace(
        private_pem=server.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        public_pem=public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        ).decode(),
        public_der=public.public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        ),
        public_pkcs1_pem=public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.PKCS1,
        ),
        attacker_private_pem=attacker.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        attacker_public_jwk=RSAAlgorithm.to_jwk(attacker.public_key(), as_dict=True),
    )


def configure(config: str, settings, keys: SimpleNamespace) -> None:
    """Put the server in the configuration a case runs under."""
    if config == 'RS256':
        settings.DJWTO_ALGORITHM = 'RS256'
        settings.DJWTO_SIGNING_KEY = keys.private_pem
        settings.DJWTO_VERIFYING_KEY = keys.public_pem
    elif config == 'CLAIMS':
        settings.DJWTO_ISS_CLAIM = ISSUER
        settings.DJWTO_AUD_CLAIM = AUDIENCE
        settings.DJWTO_SUB_CLAIM = SUBJECT


def forge_for(operation: str, mode: str, user, keys: SimpleNamespace) -> Forge:
    refresh_claims = build_refresh_claims(user)
    return Forge(
        jwt_type=OPERATIONS[operation][2],
        mode=mode,
        algorithm=djwto_settings.ALGORITHM,
        signing_key=djwto_settings.SIGNING_KEY,
        keys=keys,
        refresh_claims=refresh_claims,
        access_claims=access_claims_from_refresh(refresh_claims),
    )


def send(operation: str, mode: str, forge: Forge, delivery: str | Header | Cookies) -> Result:
    """POST the operation with the delivery on the wire, as a browser or JSON app would."""
    document, _, jwt_type = OPERATIONS[operation]
    cookies = [('csrftoken', CSRF_SECRET)]
    headers = {'HTTP_X_CSRFTOKEN': CSRF_SECRET}
    if isinstance(delivery, Header):
        headers['HTTP_AUTHORIZATION'] = delivery.value
    elif isinstance(delivery, Cookies):
        cookies.extend(delivery.pairs)
    elif mode == 'JSON':
        headers['HTTP_AUTHORIZATION'] = f'Bearer {delivery}'
    else:
        cookies.append((forge.cookie, delivery))
    headers['HTTP_COOKIE'] = '; '.join(f'{name}={value}' for name, value in cookies)
    api = Api(Client(enforce_csrf_checks=True), mode)
    return api.post(document, path=REFRESH_GRAPHQL if jwt_type == REFRESH else GRAPHQL, csrf=False, **headers)


def expected_message(case, mode: str, delivery, forge: Forge) -> str:
    """The refusal's pattern: the case's own, unless the mode never reads what was sent."""
    if isinstance(delivery, Header) and mode != 'JSON':
        return rf'^Cookie "{forge.cookie}" cannot be empty\.$'
    if isinstance(delivery, Cookies) and mode == 'JSON':
        return r'^Token not found in "HTTP_AUTHORIZATION" header\.$'
    return case.message


@pytest.mark.parametrize('operation', OPERATIONS)
@pytest.mark.parametrize('case', CASES, ids=lambda case: case.id)
def test_hostile_token_is_refused(case, operation, mode, alice, settings, keys, recorder, caplog):
    configure(case.config, settings, keys)
    forge = forge_for(operation, mode, alice, keys)
    delivery = case.build(forge)

    result = send(operation, mode, forge, delivery)

    field = OPERATIONS[operation][1]
    assert result.status == 200, result.response.content[:500]
    assert b'Traceback' not in result.response.content
    assert result.data == {field: None}
    message = result.error['message']
    assert result.error['extensions'] == {
        'code': 'FORBIDDEN',
        'status': 403,
        'reason': expected_reason(message),
    }, result.error
    assert message and len(message) < 300
    pattern = expected_message(case, mode, delivery, forge)
    assert re.search(pattern, message), f'{message!r} does not match {pattern!r}'
    assert recorder.events == []
    assert not JWTBlacklist.objects.exists()
    assert not TOKEN_COOKIES & set(result.response.cookies)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize('operation', OPERATIONS)
@pytest.mark.parametrize('config', ['HS256', 'RS256', 'CLAIMS'])
def test_the_forges_good_token_is_accepted(config, operation, mode, alice, settings, keys):
    """The control: the corpus spoils tokens that would otherwise pass, sent where they are read."""
    configure(config, settings, keys)
    forge = forge_for(operation, mode, alice, keys)
    result = send(operation, mode, forge, forge.good())
    assert result.errors == [], result.body
    assert result.data[OPERATIONS[operation][1]]


def _claims_with_a_long_jti(user, request=None):
    claims = build_refresh_claims(user, request)
    claims['jti'] = claims['jti'] * 8  # 288 characters, as a project's own jti scheme might make
    return claims


ON_POSTGRESQL = django_settings.DATABASE_KIND == 'postgresql'


@pytest.mark.parametrize(
    'setting, value',
    [
        pytest.param('DJWTO_CLAIMS_HANDLER', _claims_with_a_long_jti, id='jti-longer-than-its-column'),
        pytest.param('DJWTO_REFRESH_TOKEN_LIFETIME', timedelta(days=3_000_000), id='expiry-after-year-9999'),
    ],
)
def test_a_token_the_blacklist_cannot_store_as_it_is_is_still_revoked(api, settings, setting, value):
    """Tokens the server itself signed, under settings the checks accept: revoked, and it holds."""
    setattr(settings, setting, value)
    api.login().field('tokenAuth')
    refresh = api.token('refresh')
    result = api.with_refresh(REVOKE)
    assert result.status == 200
    assert result.errors == [], result.body
    assert JWTBlacklist.objects.count() == 1
    api.set_token('refresh', refresh)  # the cookie modes' revoke deleted the cookie
    refused = api.with_refresh(REFRESH_ACCESS)
    assert refused.error['message'] == "Can't update access token."
    assert refused.data is None or not refused.data.get('refreshAccess')
