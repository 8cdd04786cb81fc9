"""Key ids, fallback keys and leeway (gql_djwto.keys): what signs, what verifies, what is refused."""

from __future__ import annotations

import io
import logging
import time
from datetime import timedelta

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gql_djwto import errors
from gql_djwto.checks import check_settings
from gql_djwto.keys import public_jwk, thumbprint
from gql_djwto.tokens import decode, encode

from .conftest import VERIFY
from .keypairs import hmac_token, key_pair, key_settings

CLAIMS = {'type': 'access', 'iat': 1_700_000_000, 'jti': 'j', 'user': {'username': 'u', 'id': 1, 'perms': []}}
FAR = {'exp': 4_000_000_000}


def use(settings, values: dict) -> None:
    for name, value in values.items():
        setattr(settings, name, value)


def signed(algorithm: str, name: str, kid: str | None = None, **claims) -> str:
    """A token signed by key ``name`` (not through gql_djwto), with ``kid`` when given."""
    keys = key_pair(algorithm, name)
    headers = {'kid': kid} if kid else None
    return jwt.encode({**CLAIMS, **FAR, **claims}, keys.signing_key, algorithm=algorithm, headers=headers)


def test_rfc_7638_thumbprint_of_its_example_key():
    jwk = {
        'kty': 'RSA',
        'e': 'AQAB',
        'n': (
            '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJEC'
            'PebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Q'
            'vzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6'
            'WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw'
        ),
    }
    assert thumbprint(jwk) == 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'


def test_hmac_tokens_carry_no_kid_by_default(settings):
    assert jwt.get_unverified_header(encode(dict(CLAIMS))) == {'alg': 'HS256', 'typ': 'JWT'}


def test_hmac_tokens_carry_the_key_id_when_set(settings):
    settings.DJWTO_KEY_ID = '2026-11'
    assert jwt.get_unverified_header(encode(dict(CLAIMS)))['kid'] == '2026-11'


@pytest.mark.parametrize('algorithm', ['RS256', 'ES256', 'EdDSA'])
def test_asymmetric_tokens_carry_the_thumbprint_of_the_public_key(settings, algorithm):
    use(settings, key_settings(algorithm, 'A'))
    public = jwt.PyJWS().get_algorithm_by_name(algorithm).prepare_key(key_pair(algorithm, 'A').verifying_key)
    header = jwt.get_unverified_header(encode(dict(CLAIMS)))
    assert header['kid'] == thumbprint(public_jwk(public, algorithm))
    settings.DJWTO_KEY_ID = 'mine'
    assert jwt.get_unverified_header(encode(dict(CLAIMS)))['kid'] == 'mine'


@pytest.mark.parametrize('algorithm', ['HS256', 'ES256'])
def test_a_token_without_kid_verifies_with_the_current_key_or_any_fallback(settings, algorithm):
    use(settings, key_settings(algorithm, 'C', fallbacks=('A', 'B')))
    for name in 'ABC':
        assert decode(signed(algorithm, name))['jti'] == 'j'
    with pytest.raises(errors.InvalidToken, match='Signature verification failed'):
        decode(signed(algorithm, 'D'))


@pytest.mark.parametrize('algorithm', ['HS256', 'ES256'])
def test_a_fallback_dropped_no_longer_verifies(settings, algorithm):
    use(settings, key_settings(algorithm, 'B', fallbacks=('A',)))
    token = signed(algorithm, 'A')
    assert decode(token)['jti'] == 'j'
    use(settings, key_settings(algorithm, 'B'))
    with pytest.raises(errors.InvalidToken, match='Signature verification failed'):
        decode(token)


def test_new_tokens_are_signed_with_the_current_key_only(settings):
    use(settings, key_settings('HS256', 'B', fallbacks=('A',), key_ids=True))
    token = encode(dict(CLAIMS))
    assert jwt.get_unverified_header(token)['kid'] == 'B'
    jwt.decode(token, key_pair('HS256', 'B').signing_key, algorithms=['HS256'])


@pytest.mark.parametrize('algorithm', ['HS256', 'ES256'])
def test_the_kid_picks_the_key(settings, algorithm):
    use(settings, key_settings(algorithm, 'C', fallbacks=('A', 'B'), key_ids=True))
    assert decode(signed(algorithm, 'B', kid='B'))['jti'] == 'j'
    # A kid naming another key than the one that signed: only the named key is tried.
    with pytest.raises(errors.InvalidToken, match='Signature verification failed'):
        decode(signed(algorithm, 'B', kid='A'))


@pytest.mark.parametrize('algorithm', ['HS256', 'ES256'])
def test_an_unknown_kid_is_refused_without_trying_the_keys(settings, algorithm):
    use(settings, key_settings(algorithm, 'B', fallbacks=('A',), key_ids=True))
    # Signed by a key we hold: trying the keys would accept it.
    with pytest.raises(errors.InvalidToken) as refused:
        decode(signed(algorithm, 'A', kid='retired-long-ago'))
    assert refused.value.message == errors.UNKNOWN_KEY_ID
    assert refused.value.status == 403
    assert refused.value.reason == errors.Reason.TOKEN_INVALID


def test_a_kid_that_is_not_a_string_is_refused(settings):
    settings.DJWTO_KEY_ID = 'k'
    token = hmac_token({'alg': 'HS256', 'kid': 7}, {**CLAIMS, **FAR}, settings.DJWTO_SIGNING_KEY)
    with pytest.raises(errors.InvalidToken, match='Key ID header parameter must be a string'):
        decode(token)


def test_without_any_key_id_a_kid_header_is_ignored_as_djwto_does(settings):
    token = jwt.encode({**CLAIMS, **FAR}, settings.DJWTO_SIGNING_KEY, headers={'kid': 'other-service'})
    assert decode(token)['jti'] == 'j'


def test_unknown_kid_over_graphql_is_a_403_token_invalid(settings, logged_in):
    settings.DJWTO_KEY_ID = 'B'
    logged_in.set_token('access', signed('HS256', 'x', kid='A'))
    result = logged_in.with_access(VERIFY)
    assert result.error['message'] == errors.UNKNOWN_KEY_ID
    assert result.error['extensions']['status'] == 403
    assert result.error['extensions']['reason'] == 'TOKEN_INVALID'


def test_a_remembered_token_is_not_answered_after_its_key_is_dropped(settings, logged_in):
    use(settings, key_settings('HS256', 'B', fallbacks=('A',)))
    logged_in.set_token('access', signed('HS256', 'A'))
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'  # remembered
    settings.DJWTO_SIGNING_KEY_FALLBACKS = []
    assert logged_in.with_access(VERIFY).error['message'] == 'Signature verification failed'


def test_fallbacks_of_the_other_kind_are_a_settings_error(settings):
    settings.DJWTO_VERIFYING_KEY_FALLBACKS = [key_pair('ES256', 'A').verifying_key]
    with pytest.raises(ImproperlyConfigured, match='DJWTO_VERIFYING_KEY_FALLBACKS is set'):
        decode(signed('HS256', 'A'))
    assert [m.id for m in check_settings()] == ['gql_djwto.E044']


@pytest.mark.parametrize(
    'name, value, check_id',
    [
        ('DJWTO_KEY_ID', '', 'gql_djwto.E040'),
        ('DJWTO_KEY_ID', 5, 'gql_djwto.E040'),
        ('DJWTO_SIGNING_KEY_FALLBACKS', 'a-single-secret', 'gql_djwto.E041'),
        ('DJWTO_SIGNING_KEY_FALLBACKS', [None], 'gql_djwto.E041'),
        ('DJWTO_SIGNING_KEY_FALLBACKS', [{'key': 'secret-without-kid'}], 'gql_djwto.E041'),
        ('DJWTO_VERIFYING_KEY_FALLBACKS', [b''], 'gql_djwto.E042'),
        ('DJWTO_LEEWAY', 30, 'gql_djwto.E043'),
        ('DJWTO_LEEWAY', timedelta(seconds=-1), 'gql_djwto.E043'),
    ],
)
def test_bad_values_have_their_check_id(settings, name, value, check_id):
    setattr(settings, name, value)
    messages = check_settings()
    assert [m.id for m in messages] == [check_id]
    assert 'secret-without-kid' not in messages[0].msg


@pytest.mark.parametrize(
    'algorithm, fallback',
    [
        ('HS256', key_pair('ES256', 'A').verifying_key),  # a PEM key as an HMAC secret
        ('ES256', key_pair('ES256', 'A').signing_key),  # a private key to verify
        ('ES256', 'not a key at all'),
        ('ES256', key_pair('RS256', 'A').verifying_key),  # an RSA key for ES256
    ],
)
def test_a_fallback_that_cannot_verify_with_the_algorithm_is_E044(settings, algorithm, fallback):
    use(settings, key_settings(algorithm, 'B'))
    setting = 'DJWTO_SIGNING_KEY_FALLBACKS' if algorithm == 'HS256' else 'DJWTO_VERIFYING_KEY_FALLBACKS'
    setattr(settings, setting, ['x' * 40, fallback] if algorithm == 'HS256' else [fallback])
    messages = check_settings()
    assert [(m.id, m.obj) for m in messages] == [('gql_djwto.E044', setting)]
    assert '[1]' in messages[0].msg or algorithm != 'HS256'
    assert fallback not in messages[0].msg
    with pytest.raises(ImproperlyConfigured):
        decode(signed(algorithm, 'B'))


def test_two_keys_with_one_key_id_is_E045(settings):
    use(settings, key_settings('HS256', 'B', fallbacks=('A',), key_ids=True))
    settings.DJWTO_SIGNING_KEY_FALLBACKS = [{'kid': 'B', 'key': key_pair('HS256', 'A').signing_key}]
    assert [m.id for m in check_settings()] == ['gql_djwto.E045']


def test_good_fallbacks_pass_the_checks(settings):
    use(settings, key_settings('ES256', 'C', fallbacks=('A', 'B'), key_ids=True))
    assert check_settings() == []


@pytest.mark.parametrize('claim, offset', [('exp', -5), ('nbf', 5), ('iat', 5)])
def test_leeway_allows_that_much_clock_skew(settings, clock, claim, offset):
    now = int(time.time())
    token = jwt.encode(
        {**CLAIMS, 'iat': now, 'exp': now + 300, claim: now + offset},
        settings.DJWTO_SIGNING_KEY,
        algorithm='HS256',
    )
    with pytest.raises(errors.InvalidToken):
        decode(token)
    settings.DJWTO_LEEWAY = timedelta(seconds=10)
    assert decode(token)['jti'] == 'j'
    settings.DJWTO_LEEWAY = timedelta(seconds=4)
    with pytest.raises(errors.InvalidToken):
        decode(token)


def test_a_remembered_token_expires_at_exp_plus_the_leeway(settings, clock, logged_in):
    settings.DJWTO_LEEWAY = timedelta(seconds=30)
    access_lifetime = 300
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    clock.tick(access_lifetime + 20)
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    clock.tick(15)
    assert logged_in.with_access(VERIFY).error['message'] == 'Signature has expired'


@pytest.mark.parametrize('algorithm', ['HS512', 'RS256', 'ES384', 'EdDSA'])
def test_generate_jwt_key_prints_settings_that_sign_and_verify(settings, caplog, db, algorithm):
    caplog.set_level(logging.DEBUG)
    output = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command('generate_jwt_key', algorithm=algorithm, key_id='2026-11', stdout=output)
    printed: dict = {}
    exec(output.getvalue(), {}, printed)  # noqa: S102 - the command prints Python settings; run them
    assert printed['DJWTO_ALGORITHM'] == algorithm and printed['DJWTO_KEY_ID'] == '2026-11'
    use(settings, printed)
    assert check_settings() == []
    assert decode(encode({**CLAIMS, **FAR}))['jti'] == 'j'
    assert len(queries) == 0
    secret = printed['DJWTO_SIGNING_KEY']
    assert all(secret not in record.getMessage() for record in caplog.records)


def test_generate_jwt_key_refuses_an_unknown_algorithm():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match='DJWTO_ALGORITHM must be one of'):
        call_command('generate_jwt_key', algorithm='none')


@pytest.mark.parametrize('header', [b'[' * 100_000, b'\xff\xfe', b'"kid"', b'{"kid": "A"'])
def test_a_header_that_is_no_json_object_is_refused_cleanly_when_keys_have_ids(settings, header):
    import base64

    settings.DJWTO_KEY_ID = 'A'
    token = signed('HS256', 'A', kid='A')
    segment = base64.urlsafe_b64encode(header).rstrip(b'=').decode()
    with pytest.raises(errors.InvalidToken):
        decode(segment + token[token.index('.') :])
