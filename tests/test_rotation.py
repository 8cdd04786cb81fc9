"""The rotation drill: key A, then B with A as a fallback, then A dropped; no valid token refused."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
import pytest
from django.test import Client

from gql_djwto import errors

from .conftest import REFRESH_ACCESS, REFRESH_GRAPHQL, UPDATE_REFRESH, VERIFY, VERIFY_REFRESH, Api
from .keypairs import key_settings
from .test_keys import use

# (algorithm, key ids set by DJWTO_KEY_ID): HMAC as djwto uses it, HMAC named, and asymmetric.
KINDS = {
    'HS256 without key ids': ('HS256', False),
    'HS256 with key ids': ('HS256', True),
    'ES256': ('ES256', False),
    'EdDSA with key ids': ('EdDSA', True),
}


@dataclass
class Issued:
    token: str
    kind: str  # 'access' or 'refresh'
    key: str  # the name of the key that signed it

    @property
    def expires(self) -> int:
        return jwt.decode(self.token, options={'verify_signature': False})['exp']


class Drill:
    """A JSON client that keeps every token it was given and checks them all after each step."""

    def __init__(self, settings, algorithm: str, key_ids: bool) -> None:
        self.settings, self.algorithm, self.key_ids = settings, algorithm, key_ids
        self.api = Api(Client(), 'JSON')
        self.issued: list[Issued] = []
        self.verifying: set[str] = set()
        self.accepted = 0

    def keys(self, current: str, *fallbacks: str) -> None:
        use(self.settings, key_settings(self.algorithm, current, fallbacks, key_ids=self.key_ids))
        self.current, self.verifying = current, {current, *fallbacks}

    def keep(self, answer: dict) -> None:
        """Keep the tokens of ``answer`` that are new (refreshAccess hands back the refresh token it read)."""
        known = {issued.token for issued in self.issued}
        for kind in ('refresh', 'access'):
            if answer[kind] not in known:
                self.issued.append(Issued(answer[kind], kind, self.current))

    def login(self) -> None:
        self.keep(self.api.login().field('tokenAuth'))

    def refresh_with(self, issued: Issued, operation: str = REFRESH_ACCESS) -> None:
        result = self.api.post(operation, path=REFRESH_GRAPHQL, bearer=issued.token)
        self.keep(result.field(operation.split()[2]))

    def verify(self, issued: Issued):
        if issued.kind == 'access':
            return self.api.post(VERIFY, bearer=issued.token)
        return self.api.post(VERIFY_REFRESH, path=REFRESH_GRAPHQL, bearer=issued.token)

    def check_every_token(self) -> None:
        """Each unexpired token of a key still held verifies; each other one is refused, saying why."""
        for issued in self.issued:
            result = self.verify(issued)
            if issued.key not in self.verifying:  # the signature is checked first
                assert result.error['extensions'] == {
                    'code': 'FORBIDDEN',
                    'status': 403,
                    'reason': 'TOKEN_INVALID',
                }, result.body
                assert result.error['message'] in (errors.UNKNOWN_KEY_ID, 'Signature verification failed')
            elif issued.expires <= time.time():
                assert result.error['extensions']['reason'] == 'TOKEN_EXPIRED'
            else:
                assert result.field('verify')['msg'] == 'Token is valid', (issued, result.body)
                self.accepted += 1

    def new_tokens_carry(self, name: str) -> None:
        header = jwt.get_unverified_header(self.issued[-1].token)
        assert self.issued[-1].key == name
        if self.key_ids:
            assert header['kid'] == name
        elif self.algorithm.startswith('HS'):
            assert 'kid' not in header


@pytest.mark.parametrize('kind', KINDS)
def test_rotation_drill(settings, clock, alice, kind):
    drill = Drill(settings, *KINDS[kind])
    # 1. Key A signs; a session logs in.
    drill.keys('A')
    drill.login()
    (a_refresh,) = [issued for issued in drill.issued if issued.kind == 'refresh']
    drill.check_every_token()
    # 2. Key B becomes current, A verifies as a fallback: A's tokens keep working, new ones carry B.
    drill.keys('B', 'A')
    drill.check_every_token()
    drill.refresh_with(a_refresh)
    drill.new_tokens_carry('B')
    drill.login()
    drill.new_tokens_carry('B')
    clock.tick(60)
    drill.refresh_with(a_refresh, UPDATE_REFRESH)
    drill.new_tokens_carry('B')
    drill.check_every_token()
    # A's access tokens expire (five minutes); its refresh token still refreshes.
    clock.tick(301)
    drill.check_every_token()
    drill.refresh_with(a_refresh)
    drill.check_every_token()
    # 3. A is dropped: A's tokens are refused (TOKEN_INVALID), B's keep working.
    drill.keys('B')
    drill.check_every_token()
    assert any(issued.key == 'A' and issued.expires > time.time() for issued in drill.issued)
    assert drill.accepted >= 20
