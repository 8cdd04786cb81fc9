"""tokens.encode_remembered: a token just signed is remembered as verified only when the rules would pass it."""

from __future__ import annotations

import pytest

from gql_djwto.claims import build_refresh_claims
from gql_djwto.errors import InvalidToken
from gql_djwto.tokens import REFRESH, decode, decode_rules, encode_remembered, verified_tokens

from .keypairs import key_pair


def remembered(token: str) -> bool:
    return verified_tokens.get(token, decode_rules(REFRESH)) is not None


def test_claims_that_pass_the_rules_are_remembered(settings):
    settings.DJWTO_ISS_CLAIM, settings.DJWTO_AUD_CLAIM = 'us', ['web', 'app']
    token = encode_remembered(build_refresh_claims(None), REFRESH)
    assert remembered(token)
    assert decode(token, REFRESH)['iss'] == 'us'


@pytest.mark.parametrize(
    'change',
    [
        lambda claims: claims.pop('jti'),
        lambda claims: claims.pop('exp'),
        lambda claims: claims.update(iss='them'),
        lambda claims: claims.update(aud='elsewhere'),
        lambda claims: claims.update(type='other'),
    ],
    ids=['no-jti', 'no-exp', 'other-issuer', 'other-audience', 'other-type'],
)
def test_claims_the_rules_refuse_are_not_remembered(settings, change):
    settings.DJWTO_ISS_CLAIM, settings.DJWTO_AUD_CLAIM = 'us', 'web'
    claims = build_refresh_claims(None)
    change(claims)
    token = encode_remembered(claims, REFRESH)
    assert not remembered(token)
    with pytest.raises(InvalidToken):
        decode(token, REFRESH)


def test_a_token_verified_with_another_key_is_not_remembered(settings):
    private, public = key_pair('RS256', 'A')
    settings.DJWTO_ALGORITHM, settings.DJWTO_SIGNING_KEY, settings.DJWTO_VERIFYING_KEY = (
        'RS256',
        private,
        public,
    )
    token = encode_remembered(build_refresh_claims(None), REFRESH)
    assert not remembered(token)
    assert decode(token, REFRESH)['type'] == 'refresh'
