"""Token claims and decoding as djwto 0.0.4 builds them, seen through tokenAuth + verify where possible."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

import jwt
import pytest

from gql_djwto.errors import InvalidToken
from gql_djwto.tokens import VERIFIED_TOKEN_MAX_LENGTH, decode, encode, verified_tokens

from .conftest import REFRESH_ACCESS, VERIFY, VERIFY_REFRESH
from .hostile_tokens import expected_reason
from .keypairs import key_pair

KEY = 'tests-signing-key-that-is-long-enough-for-hs256'
DAY = 24 * 60 * 60


@pytest.fixture
def t0(clock):
    """The frozen time as the whole epoch seconds that tokens carry."""
    return int(time.time())


def verified_claims(api, jwt_type='access'):
    if jwt_type == 'refresh':
        return api.with_refresh(VERIFY_REFRESH).field('verify')['claims']
    return api.with_access(VERIFY).field('verify')['claims']


def refusal(result):
    """Return the message of a 403 refusal (whose reason must fit the message)."""
    message = result.error['message']
    assert result.error['extensions'] == {
        'code': 'FORBIDDEN',
        'status': 403,
        'reason': expected_reason(message),
    }
    assert result.data == {'verify': None}
    return result.error['message']


def assert_uuid4(value):
    assert isinstance(value, str)
    assert uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value


# Claims, through tokenAuth and verify, in every mode.


def test_refresh_claims_are_djwtos(api, alice, clock, t0):
    api.login()
    claims = verified_claims(api, 'refresh')
    assert_uuid4(claims.pop('jti'))
    assert type(claims['iat']) is int and type(claims['exp']) is int
    assert claims == {
        'iat': t0,
        'exp': t0 + DAY,
        'type': 'refresh',
        'user': {'username': 'alice', 'id': alice.pk, 'perms': []},
    }


def test_access_claims_copy_the_refresh_claims_with_their_own_type_and_times(api, clock, t0):
    api.login()
    refresh = verified_claims(api, 'refresh')
    assert verified_claims(api) == {
        **refresh,
        'type': 'access',
        'iat': t0,
        'refresh_iat': t0,
        'exp': t0 + 300,
    }
    clock.tick(60)
    answer = api.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    if api.mode == 'JSON':
        api.access = answer['access']
    assert verified_claims(api) == {
        **refresh,
        'type': 'access',
        'iat': t0 + 60,
        'refresh_iat': t0,
        'exp': t0 + 360,
    }


@pytest.mark.parametrize('audience', ['web', ['web', 'mobile']])
def test_registered_claims_are_in_both_tokens_when_set(api, settings, audience):
    settings.DJWTO_ISS_CLAIM = 'issuer'
    settings.DJWTO_SUB_CLAIM = 'subject'
    settings.DJWTO_AUD_CLAIM = audience
    api.login()
    for claims in verified_claims(api), verified_claims(api, 'refresh'):
        assert (claims['iss'], claims['sub'], claims['aud']) == ('issuer', 'subject', audience)


def test_user_claim_carries_the_users_permissions(api, bob):
    api.login('bob')
    assert verified_claims(api)['user'] == {'username': 'bob', 'id': bob.pk, 'perms': ['auth.view_user']}


def test_iat_and_jti_are_left_out_when_disabled(api, settings, clock, t0):
    settings.DJWTO_IAT_CLAIM = False
    settings.DJWTO_JTI_CLAIM = False
    api.login()
    access, refresh = verified_claims(api), verified_claims(api, 'refresh')
    assert not {'iat', 'jti', 'refresh_iat'} & (access.keys() | refresh.keys())
    assert (access['exp'], refresh['exp']) == (t0 + 300, t0 + DAY)


def test_access_lifetime_none_keeps_the_refresh_exp(api, settings, clock, t0):
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = None
    api.login()
    assert verified_claims(api)['exp'] == t0 + DAY
    clock.tick(DAY - 1)
    assert verified_claims(api)['type'] == 'access'


def test_nbf_makes_tokens_immature_until_the_nbf_lifetime_passes(api, settings, clock, t0):
    settings.DJWTO_NBF_LIFETIME = timedelta(seconds=30)
    api.login()
    assert refusal(api.with_access(VERIFY)) == 'The token is not yet valid (nbf)'
    assert refusal(api.with_refresh(VERIFY_REFRESH)) == 'The token is not yet valid (nbf)'
    clock.tick(30)
    assert verified_claims(api)['nbf'] == t0 + 30
    assert verified_claims(api, 'refresh')['nbf'] == t0 + 30


def test_expired_access_token_is_refused(api, clock, t0):
    api.login()
    clock.tick(299)
    assert verified_claims(api)['exp'] == t0 + 300
    clock.tick(2)
    assert refusal(api.with_access(VERIFY)) == 'Signature has expired'


def test_expired_refresh_token_is_refused(api, clock):
    api.login()
    clock.tick(DAY + 1)
    assert refusal(api.with_refresh(VERIFY_REFRESH)) == 'Signature has expired'


# Asymmetric algorithms, end to end.


@pytest.fixture(params=['RS256', 'ES256'])
def asymmetric(request):
    """An asymmetric algorithm and its key pair, made once per session (tests/keypairs.py)."""
    return request.param, key_pair(request.param, 'A')


def test_asymmetric_keys_sign_with_the_private_and_verify_with_the_public_key(api, settings, asymmetric):
    algorithm, (private, public) = asymmetric
    settings.DJWTO_ALGORITHM = algorithm
    settings.DJWTO_SIGNING_KEY = private
    settings.DJWTO_VERIFYING_KEY = public
    api.login()
    assert verified_claims(api)['user']['username'] == 'alice'
    assert verified_claims(api, 'refresh')['type'] == 'refresh'
    token = api.token('access')
    assert jwt.get_unverified_header(token)['alg'] == algorithm
    assert jwt.decode(token, public, algorithms=[algorithm])['type'] == 'access'
    other_private = key_pair(algorithm, 'B').signing_key
    api.set_token(
        'access',
        jwt.encode(jwt.decode(token, public, algorithms=[algorithm]), other_private, algorithm=algorithm),
    )
    assert refusal(api.with_access(VERIFY)) == 'Signature verification failed'


# Replaceable claim builders.


def test_perms_handler_decides_the_perms_claim(api, settings, bob):
    settings.DJWTO_PERMS_HANDLER = 'tests.handlers.perms_with_extra'
    api.login('bob')
    assert verified_claims(api)['user']['perms'] == ['auth.view_user', 'project.extra']


def test_user_claims_handler_decides_the_user_claim(api, settings, alice):
    settings.DJWTO_USER_CLAIMS_HANDLER = 'tests.handlers.user_claims_with_email'
    api.login()
    expected = {'username': 'alice', 'id': alice.pk, 'perms': [], 'email': 'alice@example.com'}
    assert verified_claims(api)['user'] == expected
    assert verified_claims(api, 'refresh')['user'] == expected


def test_claims_handler_builds_the_claim_set_from_user_and_request(api, settings):
    settings.DJWTO_CLAIMS_HANDLER = 'tests.handlers.claims_with_client_address'
    api.login()
    assert verified_claims(api)['client_ip'] == '127.0.0.1'
    assert verified_claims(api, 'refresh')['client_ip'] == '127.0.0.1'


# decode() on hand-made tokens: PyJWT's messages.


def claims(**changes):
    now = int(time.time())
    base = {
        'iat': now,
        'exp': now + 60,
        'jti': str(uuid.uuid4()),
        'type': 'access',
        'user': {'username': 'alice', 'id': 1, 'perms': []},
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def refused(token, jwt_type='access'):
    with pytest.raises(InvalidToken) as caught:
        decode(token, jwt_type)
    assert caught.value.status == 403
    return caught.value.message


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip('=')


def test_encoded_claims_decode_to_the_same_claims():
    original = claims()
    assert decode(encode(original), 'access') == original


def test_tampered_payload_is_refused():
    header, _, signature = encode(claims()).split('.')
    forged = b64(claims(user={'username': 'root', 'id': 1, 'perms': ['auth.view_user']}))
    assert refused(f'{header}.{forged}.{signature}') == 'Signature verification failed'


def test_tampered_signature_is_refused():
    header, payload, signature = encode(claims()).split('.')
    other = ('A' if signature[0] != 'A' else 'B') + signature[1:]
    assert refused(f'{header}.{payload}.{other}') == 'Signature verification failed'


def test_token_signed_with_another_key_is_refused():
    assert refused(jwt.encode(claims(), KEY + '-other')) == 'Signature verification failed'


@pytest.mark.filterwarnings('ignore::jwt.warnings.InsecureKeyLengthWarning')
@pytest.mark.parametrize('algorithm', ['HS512', 'none'])
def test_token_of_another_algorithm_is_refused(algorithm):
    token = jwt.encode(claims(), None if algorithm == 'none' else KEY, algorithm=algorithm)
    assert refused(token) == 'The specified alg value is not allowed'


def test_hs256_token_keyed_with_the_public_key_is_refused(settings, asymmetric):
    algorithm, (private, public) = asymmetric
    settings.DJWTO_ALGORITHM = algorithm
    settings.DJWTO_SIGNING_KEY = private
    settings.DJWTO_VERIFYING_KEY = public
    signed = f'{b64({"alg": "HS256", "typ": "JWT"})}.{b64(claims())}'
    digest = hmac.new(public.encode(), signed.encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(digest).decode().rstrip('=')
    assert refused(f'{signed}.{signature}') == 'The specified alg value is not allowed'


def test_malformed_token_is_refused():
    assert refused('not-a-token') == 'Not enough segments'


@pytest.mark.parametrize(
    'changes, message',
    [
        ({'iss': 'intruder'}, 'Invalid issuer'),
        ({'iss': None}, 'Token is missing the "iss" claim'),
        ({'aud': 'elsewhere'}, "Audience doesn't match"),
        ({'aud': None}, 'Token is missing the "aud" claim'),
        ({'sub': 'somebody-else'}, 'Invalid subject'),
        ({'sub': None}, 'Token is missing the "sub" claim'),
    ],
)
def test_registered_claims_must_match_the_settings(settings, changes, message):
    settings.DJWTO_ISS_CLAIM = 'issuer'
    settings.DJWTO_AUD_CLAIM = 'web'
    settings.DJWTO_SUB_CLAIM = 'subject'
    good = {'iss': 'issuer', 'aud': 'web', 'sub': 'subject'}
    assert decode(encode(claims(**good)), 'access')['sub'] == 'subject'
    assert refused(encode(claims(**{**good, **changes}))) == message


@pytest.mark.parametrize('claim', ['iat', 'jti'])
def test_iat_and_jti_are_required_while_their_flags_are_on(settings, claim):
    assert refused(encode(claims(**{claim: None}))) == f'Token is missing the "{claim}" claim'
    setattr(settings, f'DJWTO_{claim.upper()}_CLAIM', False)
    assert claim not in decode(encode(claims(**{claim: None})), 'access')


@pytest.mark.parametrize('jwt_type', ['access', 'refresh'])
def test_missing_exp_is_refused_while_a_lifetime_is_set(settings, jwt_type):
    token = encode(claims(exp=None, type=jwt_type))
    assert refused(token, jwt_type) == 'Token is missing the "exp" claim'
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = None
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = None
    assert decode(token, jwt_type)['type'] == jwt_type


def test_refresh_token_without_exp_is_refused_when_only_the_access_lifetime_is_none(settings):
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = None
    assert refused(encode(claims(exp=None, type='refresh')), 'refresh') == (
        'Token is missing the "exp" claim'
    )


# The per-process memory of verified tokens (tokens.verified_tokens): it may
# only spare work, never change an answer.


def test_a_verified_token_is_remembered_and_answers_the_same_claims():
    token = encode(claims())
    first = decode(token, 'access')
    assert len(verified_tokens) == 1
    first['user']['perms'].append('auth.add_user')  # a caller changing its copy
    assert decode(token, 'access') == claims_of(token)
    assert decode(token, 'access') is not decode(token, 'access')


def test_a_refused_token_is_not_remembered():
    refused(encode(claims(exp=int(time.time()) - 1)))
    refused(encode(claims()) + 'x')
    assert len(verified_tokens) == 0


def test_a_remembered_token_still_expires(clock):
    token = encode(claims(exp=int(time.time()) + 60))
    decode(token, 'access')
    clock.tick(59)
    decode(token, 'access')
    clock.tick(1)
    assert refused(token) == 'Signature has expired'


def test_a_remembered_token_is_refused_once_the_key_changes(settings):
    token = encode(claims())
    decode(token, 'access')
    settings.DJWTO_SIGNING_KEY = KEY + '-rotated'
    assert refused(token) == 'Signature verification failed'
    settings.DJWTO_SIGNING_KEY = KEY
    assert decode(token, 'access')['type'] == 'access'


@pytest.mark.parametrize(
    'setting, value, message',
    [
        ('DJWTO_ISS_CLAIM', 'another-issuer', 'Token is missing the "iss" claim'),
        ('DJWTO_AUD_CLAIM', 'another-audience', 'Token is missing the "aud" claim'),
        ('DJWTO_SUB_CLAIM', 'another-subject', 'Token is missing the "sub" claim'),
    ],
)
def test_a_remembered_token_meets_new_claim_rules(settings, setting, value, message):
    token = encode(claims())
    decode(token, 'access')
    setattr(settings, setting, value)
    assert refused(token) == message


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(verified_tokens, 'size', 3)
    tokens = [encode(claims()) for _ in range(5)]
    for token in tokens:
        decode(token, 'access')
    assert len(verified_tokens) == 3


def test_a_very_long_token_is_not_remembered():
    token = encode(claims(padding='p' * VERIFIED_TOKEN_MAX_LENGTH))
    decode(token, 'access')
    assert len(verified_tokens) == 0


def claims_of(token):
    return json.loads(base64.urlsafe_b64decode(token.split('.')[1] + '=='))
