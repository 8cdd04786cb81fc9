"""Hostile tokens: every case of the corpus, to both token readers, in every mode.

The seven operations that read a token read it through one of two readers:
the access reader (verify, deleteCookies, me) and the refresh reader
(refreshAccess, updateRefresh, revoke, verify of a refresh token). Every
case of the corpus (tests/hostile_tokens.py) goes to one operation of each
reader (verify, whose only work is the reading) in each mode: each must be
refused with a clean FORBIDDEN GraphQL error, change nothing (no blacklist
row, no signal, no token cookie set or deleted) and log nothing at ERROR.
Then each operation's own contract, "refused with no side effect, for the
reader's reason", is held against a few representative defects, one for
each place a token is refused: where it travels, its header, its signature,
its claims, its type.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
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
    TOKEN_COOKIES,
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
from .keypairs import key_pair

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
# The operation that stands for each reader: verify does nothing but read the token.
READERS = {ACCESS: 'verifyAccess', REFRESH: 'verifyRefresh'}
# The operations that do more than read: each is held to its own contract below.
OTHER_OPERATIONS = [name for name in OPERATIONS if name not in READERS.values()]
# One defect for each place a token is refused: where it travels (the header's
# scheme; a cookie mode finds no cookie), its header, its signature, its claims, its type.
REPRESENTATIVE = ['header-no-scheme', 'alg-none', 'tampered-user', 'expired', 'the-other-type-of-token']
CASES_BY_ID = {case.id: case for case in CASES}
# A CSRF secret of Django's format: the same value in the cookie and the header passes the check.
CSRF_SECRET = 'hostiletokenscsrfsecret012345678'


@pytest.fixture(scope='session')
def keys() -> SimpleNamespace:
    """The server's RSA key pair and an attacker's, the session's keys (tests/keypairs.py)."""
    server = serialization.load_pem_private_key(key_pair('RS256', 'A').signing_key.encode(), None)
    attacker = key_pair('RS256', 'B')
    public = server.public_key()
    return SimpleNamespace(
        private_pem=key_pair('RS256', 'A').signing_key,
        public_pem=key_pair('RS256', 'A').verifying_key,
        public_der=public.public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        ),
        public_pkcs1_pem=public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.PKCS1,
        ),
        attacker_private_pem=attacker.signing_key,
        attacker_public_jwk=RSAAlgorithm.to_jwk(
            serialization.load_pem_public_key(attacker.verifying_key.encode()), as_dict=True
        ),
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


def assert_refused_with_no_side_effect(case, operation, mode, user, settings, keys, recorder, caplog):
    """Send the case to the operation: a clean refusal for the case's reason, and nothing changed."""
    configure(case.config, settings, keys)
    forge = forge_for(operation, mode, user, keys)
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


@pytest.mark.parametrize('jwt_type', READERS)
@pytest.mark.parametrize('case', CASES, ids=lambda case: case.id)
def test_hostile_token_is_refused_by_the_reader(
    case, jwt_type, mode, alice, settings, keys, recorder, caplog
):
    assert_refused_with_no_side_effect(case, READERS[jwt_type], mode, alice, settings, keys, recorder, caplog)


@pytest.mark.parametrize('operation', OTHER_OPERATIONS)
@pytest.mark.parametrize('case_id', REPRESENTATIVE)
def test_each_operation_refuses_a_bad_token_with_no_side_effect(
    case_id, operation, mode, alice, settings, keys, recorder, caplog
):
    case = CASES_BY_ID[case_id]
    assert_refused_with_no_side_effect(case, operation, mode, alice, settings, keys, recorder, caplog)


@pytest.mark.parametrize('jwt_type', READERS)
@pytest.mark.parametrize('config', ['HS256', 'RS256', 'CLAIMS'])
def test_the_forges_good_token_is_accepted_by_the_reader(config, jwt_type, mode, alice, settings, keys):
    """The control: the corpus spoils tokens that would otherwise pass, in every configuration."""
    configure(config, settings, keys)
    operation = READERS[jwt_type]
    forge = forge_for(operation, mode, alice, keys)
    result = send(operation, mode, forge, forge.good())
    assert result.errors == [], result.body
    assert result.data['verify']['claims']['type'] == jwt_type


@pytest.mark.parametrize('operation', OTHER_OPERATIONS)
def test_the_forges_good_token_is_accepted_by_each_operation(operation, mode, alice, settings, keys):
    """The control of the representative defects: sent where it is read, the good token passes."""
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
