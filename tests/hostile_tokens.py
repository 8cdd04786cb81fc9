"""The hostile-token corpus: each case, and how to forge it.

A case's ``build`` takes a :class:`Forge` (which knows the server's keys and
the claims of a good token of the kind the operation reads) and returns what
the client puts on the wire:

- a ``str``: a token, sent where the mode reads tokens (the bearer header in
  JSON mode, the mode's cookie otherwise);
- :class:`Header`: a raw ``Authorization`` header, sent as is in every mode;
- :class:`Cookies`: raw cookies, sent as is in every mode.

Strings are the wire's bytes read as latin-1, as a WSGI server hands them
to Django. Signatures depend on the keys, so tokens are built per test, from
the test settings' secret and the RSA keys generated once per session.
``config`` names the server settings the case runs under (see
``test_hostile_tokens.CONFIGS``); ``message`` is a pattern the refusal
matches whenever the token reaches the code that reads it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jwt.algorithms import get_default_algorithms

REFRESH, ACCESS = 'refresh', 'access'
DROP = object()  # a claim value meaning "leave this claim out"
ONE_MEGABYTE = 1024 * 1024

ISSUER, AUDIENCE, SUBJECT = 'gql-djwto-tests', 'gql-djwto-clients', 'gql-djwto-auth'

# PyJWT's and gql_djwto's messages, as patterns.
ALG_REFUSED = r'^The specified alg value is not allowed$'
BAD_SIGNATURE = r'^Signature verification failed$'
NOT_DECODABLE = r'^(Invalid (header|payload|crypto) (padding|string)|Not enough segments|Invalid token\.)'
WRONG_TYPE = (
    r'^((Refresh|Access) token was not sent in authorization header'
    r'|Cookie "\w+" does not hold the (refresh|access) token)\.$'
)
MISSING_CLAIM = r'^Token is missing the "{}" claim$'
HEADER_INVALID = r'^Value in HTTP_AUTHORIZATION header is not valid\.$'
HEADER_MISSING = r'^Token not found in "HTTP_AUTHORIZATION" header\.$'
NOT_A_NUMBER = r'^The "{}" claim must be a number\.$'
JTI_NOT_VALID = r'^The "jti" claim must be a non-empty string, with no NUL and no lone surrogate\.$'
PERMS_NOT_VALID = r'^The "perms" of the "user" claim must be a list of strings\.$'

# What a client is told to do, by the refusal's message (extensions.reason);
# a message matching none of these means a token that is simply not good.
REASONS_BY_MESSAGE = (
    (r'^Signature has expired$', 'TOKEN_EXPIRED'),
    (r'^The token is not yet valid \((nbf|iat)\)$', 'TOKEN_NOT_YET_VALID'),
    (NOT_DECODABLE, 'TOKEN_MALFORMED'),
    (r"^Payload segment must be empty when 'b64' is false\.$", 'TOKEN_MALFORMED'),
    (HEADER_INVALID, 'TOKEN_MALFORMED'),
    (HEADER_MISSING, 'TOKEN_MISSING'),
    (r'^Cookie "\w+" cannot be empty\.$', 'TOKEN_MISSING'),
    (WRONG_TYPE, 'WRONG_TOKEN_TYPE'),
)


def expected_reason(message: str) -> str:
    """The reason a refusal with ``message`` must carry in ``extensions.reason``."""
    for pattern, reason in REASONS_BY_MESSAGE:
        if re.search(pattern, message):
            return reason
    return 'TOKEN_INVALID'


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b'=').decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def as_json(value: Any) -> bytes:
    return json.dumps(value, separators=(',', ':')).encode()


def wire(text: str) -> str:
    """Return ``text`` as a WSGI server hands its UTF-8 bytes to Django (latin-1)."""
    return text.encode('utf-8').decode('latin-1')


@dataclass(frozen=True)
class Header:
    """A raw Authorization header."""

    value: str


@dataclass(frozen=True)
class Cookies:
    """Raw cookies, as (name, value) pairs in the Cookie header."""

    pairs: tuple[tuple[str, str], ...]


class Forge:
    """Builds tokens for one operation: good ones, and every way to spoil them."""

    def __init__(
        self,
        *,
        jwt_type: str,
        mode: str,
        algorithm: str,
        signing_key: Any,
        refresh_claims: dict[str, Any],
        access_claims: dict[str, Any],
        keys: Any,
    ) -> None:
        self.jwt_type = jwt_type
        self.mode = mode
        self.algorithm = algorithm
        self.key = signing_key
        self.keys = keys
        self._claims = {REFRESH: refresh_claims, ACCESS: access_claims}

    @property
    def other_type(self) -> str:
        return ACCESS if self.jwt_type == REFRESH else REFRESH

    @property
    def now(self) -> int:
        return self._claims[REFRESH]['iat']

    @property
    def cookie(self) -> str:
        """The cookie a cookie mode reads this kind of token from."""
        if self.jwt_type == REFRESH:
            return 'jwt_refresh'
        return 'jwt_access_token' if self.mode == 'TWO-COOKIES' else 'jwt_access'

    @property
    def wrong_cookie(self) -> str:
        """A plausible cookie name that this mode does not read the token from."""
        if self.jwt_type == REFRESH:
            return 'jwt_refresh_token'
        return 'jwt_access' if self.mode == 'TWO-COOKIES' else 'jwt_access_token'

    def claims(self, jwt_type: str | None = None, **changes: Any) -> dict[str, Any]:
        """Return good claims of ``jwt_type`` (default: the one needed), with ``changes``."""
        claims = dict(self._claims[jwt_type or self.jwt_type])
        for name, value in changes.items():
            if value is DROP:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def signature(self, signing_input: bytes, algorithm: str, key: Any) -> bytes:
        if algorithm.lower() == 'none':
            return b''
        if algorithm.startswith('HS'):
            # By hand: PyJWT refuses to use a PEM key as an HMAC secret, attackers do not.
            secret = key.encode() if isinstance(key, str) else key
            return hmac.new(secret, signing_input, getattr(hashlib, 'sha' + algorithm[2:])).digest()
        signer = get_default_algorithms()[algorithm]
        prepared = prepared_key(algorithm, key) if isinstance(key, str | bytes) else signer.prepare_key(key)
        return signer.sign(signing_input, prepared)

    def token(
        self,
        claims: dict[str, Any] | None = None,
        *,
        algorithm: str | None = None,
        key: Any = None,
        header: dict[str, Any] | bytes | None = None,
        payload: bytes | None = None,
    ) -> str:
        """Sign a token; by default a good one. ``header`` or ``payload`` as bytes go in raw."""
        algorithm = algorithm or self.algorithm
        if header is None:
            header = {'alg': algorithm, 'typ': 'JWT'}
        header_bytes = header if isinstance(header, bytes) else as_json(header)
        if payload is None:
            payload = as_json(self.claims() if claims is None else claims)
        signing_input = f'{b64(header_bytes)}.{b64(payload)}'.encode()
        signature = self.signature(signing_input, algorithm, self.key if key is None else key)
        return f'{signing_input.decode()}.{b64(signature)}'

    def good(self, jwt_type: str | None = None) -> str:
        return self.token(self.claims(jwt_type))

    def with_segment(self, index: int, raw: bytes, token: str | None = None) -> str:
        """Return a good token (or ``token``) with one segment replaced, the others kept."""
        segments = (token or self.good()).split('.')
        segments[index] = b64(raw)
        return '.'.join(segments)

    def with_claims_swapped(self, **changes: Any) -> str:
        """A good token whose payload is changed after signing, its signature kept."""
        return self.with_segment(1, as_json(self.claims(**changes)))

    def attacker_token(self, algorithm: str = 'RS256', **header: Any) -> str:
        """A token signed with the attacker's own RSA key."""
        return self.token(
            algorithm=algorithm,
            key=self.keys.attacker_private_pem,
            header={'alg': algorithm, 'typ': 'JWT', **header},
        )


@dataclass(frozen=True)
class Hostile:
    """One hostile case: how to build it, under which server settings, and why it fails."""

    id: str
    build: Callable[[Forge], str | Header | Cookies]
    message: str  # a pattern the refusal matches where the mode reads what was sent
    config: str = 'HS256'


def _flip_first_signature_char(forge: Forge) -> str:
    # The last base64 character may carry only padding bits; the first never does.
    head, payload, signature = forge.good().split('.')
    return f'{head}.{payload}.{("B" if signature[0] == "A" else "A") + signature[1:]}'


def _signature_of_another_token(forge: Forge) -> str:
    other = forge.token(forge.claims(jti='00000000-0000-4000-8000-000000000000'))
    return '.'.join(forge.good().split('.')[:2] + other.split('.')[2:])


def _embedded_jwk(forge: Forge) -> str:
    # CVE-2018-0114: a verifier that trusts the key in the header accepts anything.
    return forge.attacker_token(jwk=forge.keys.attacker_public_jwk)


CASES: list[Hostile] = [
    # `alg: none` in every casing, and other algorithm tricks, against HS256.
    Hostile('alg-none', lambda f: f.token(algorithm='none'), message=ALG_REFUSED),
    Hostile('alg-None', lambda f: f.token(algorithm='None'), message=ALG_REFUSED),
    Hostile('alg-NONE', lambda f: f.token(algorithm='NONE'), message=ALG_REFUSED),
    Hostile('alg-nOnE', lambda f: f.token(algorithm='nOnE'), message=ALG_REFUSED),
    Hostile(
        'alg-none-keeping-the-signature',
        lambda f: f.with_segment(0, as_json({'alg': 'none', 'typ': 'JWT'})),
        message=ALG_REFUSED,
    ),
    Hostile('alg-missing', lambda f: f.token(header={'typ': 'JWT'}), message=r'^Algorithm not specified$'),
    Hostile('alg-empty', lambda f: f.token(header={'alg': '', 'typ': 'JWT'}), message=ALG_REFUSED),
    Hostile('alg-null', lambda f: f.token(header={'alg': None}), message=ALG_REFUSED),
    Hostile('alg-as-list', lambda f: f.token(header={'alg': ['HS256']}), message=ALG_REFUSED),
    Hostile('alg-hs256-lowercase', lambda f: f.token(header={'alg': 'hs256'}), message=ALG_REFUSED),
    Hostile('hs384-with-the-right-secret', lambda f: f.token(algorithm='HS384'), message=ALG_REFUSED),
    Hostile('hs512-with-the-right-secret', lambda f: f.token(algorithm='HS512'), message=ALG_REFUSED),
    Hostile('rs256-to-an-hs256-server', lambda f: f.attacker_token(), message=ALG_REFUSED),
    Hostile(
        'hs256-with-a-wrong-secret',
        lambda f: f.token(key='not-the-secret-not-the-secret-32b'),
        message=BAD_SIGNATURE,
    ),
    Hostile('hs256-with-an-empty-secret', lambda f: f.token(key=b''), message=BAD_SIGNATURE),
    Hostile(
        'kid-path-traversal-empty-secret',
        lambda f: f.token(key=b'', header={'alg': 'HS256', 'kid': '../../../../dev/null'}),
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'kid-sql-injection',
        lambda f: f.token(key=b'x', header={'alg': 'HS256', 'kid': "x' UNION SELECT 'x"}),
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'crit-unknown-extension',
        lambda f: f.token(header={'alg': 'HS256', 'crit': ['x-hostile'], 'x-hostile': 1}),
        message=r'^Unsupported critical extension: x-hostile$',
    ),
    Hostile(
        'b64-false-unencoded-payload',
        lambda f: f.token(header={'alg': 'HS256', 'b64': False, 'crit': ['b64']}),
        message=r"'b64' is false",
    ),
    # RS256 configured: key confusion and foreign keys.
    Hostile(
        'rs-hs256-keyed-with-the-public-pem',
        lambda f: f.token(algorithm='HS256', key=f.keys.public_pem),
        config='RS256',
        message=ALG_REFUSED,
    ),
    Hostile(
        'rs-hs256-keyed-with-the-public-der',
        lambda f: f.token(algorithm='HS256', key=f.keys.public_der),
        config='RS256',
        message=ALG_REFUSED,
    ),
    Hostile(
        'rs-hs256-keyed-with-the-pkcs1-pem',
        lambda f: f.token(algorithm='HS256', key=f.keys.public_pkcs1_pem),
        config='RS256',
        message=ALG_REFUSED,
    ),
    Hostile('rs-alg-none', lambda f: f.token(algorithm='none'), config='RS256', message=ALG_REFUSED),
    Hostile('rs-signed-by-another-key', lambda f: f.attacker_token(), config='RS256', message=BAD_SIGNATURE),
    Hostile('rs-embedded-jwk', _embedded_jwk, config='RS256', message=BAD_SIGNATURE),
    Hostile(
        'rs-jku-to-attacker-keys',
        lambda f: f.attacker_token(jku='http://127.0.0.1:9/jwks.json'),
        config='RS256',
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'rs-ps256-with-the-right-key',
        lambda f: f.token(algorithm='PS256'),
        config='RS256',
        message=ALG_REFUSED,
    ),
    Hostile(
        'rs-rs512-with-the-right-key',
        lambda f: f.token(algorithm='RS512'),
        config='RS256',
        message=ALG_REFUSED,
    ),
    Hostile(
        'rs-tampered-payload',
        lambda f: f.with_claims_swapped(user={'username': 'root', 'id': 0, 'perms': ['*']}),
        config='RS256',
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'rs-stripped-signature',
        lambda f: f.good().rsplit('.', 1)[0] + '.',
        config='RS256',
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'rs-expired',
        lambda f: f.token(f.claims(exp=f.now - 60)),
        config='RS256',
        message=r'^Signature has expired$',
    ),
    # Payload and signature tampering.
    Hostile(
        'tampered-user',
        lambda f: f.with_claims_swapped(user={'username': 'bob', 'id': 2, 'perms': ['auth.view_user']}),
        message=BAD_SIGNATURE,
    ),
    Hostile(
        'tampered-exp', lambda f: f.with_claims_swapped(exp=f.now + 10 * 365 * 86400), message=BAD_SIGNATURE
    ),
    Hostile('tampered-type', lambda f: f.with_claims_swapped(type=f.other_type), message=BAD_SIGNATURE),
    Hostile(
        'tampered-header',
        lambda f: f.with_segment(0, as_json({'alg': 'HS256', 'kid': 'x'})),
        message=BAD_SIGNATURE,
    ),
    Hostile('signature-one-char-flipped', _flip_first_signature_char, message=BAD_SIGNATURE),
    # 43 characters less 3 is still canonical base64; less 4 may not be.
    Hostile('signature-truncated', lambda f: f.good()[:-3], message=BAD_SIGNATURE),
    Hostile('signature-stripped', lambda f: f.good().rsplit('.', 1)[0] + '.', message=BAD_SIGNATURE),
    Hostile('signature-segment-missing', lambda f: f.good().rsplit('.', 1)[0], message=NOT_DECODABLE),
    Hostile('signature-of-another-token', _signature_of_another_token, message=BAD_SIGNATURE),
    Hostile('trailing-dot', lambda f: f.good() + '.', message=NOT_DECODABLE),
    Hostile('token-twice', lambda f: f.good() + f.good(), message=NOT_DECODABLE),
    # Signed with the right key, but the claims do not hold.
    Hostile('expired', lambda f: f.token(f.claims(exp=f.now - 60)), message=r'^Signature has expired$'),
    Hostile('expired-at-epoch', lambda f: f.token(f.claims(exp=1)), message=r'^Signature has expired$'),
    Hostile(
        'nbf-in-the-future',
        lambda f: f.token(f.claims(nbf=f.now + 3600)),
        message=r'^The token is not yet valid \(nbf\)$',
    ),
    Hostile(
        'iat-in-the-future',
        lambda f: f.token(f.claims(iat=f.now + 3600)),
        message=r'^The token is not yet valid \(iat\)$',
    ),
    Hostile('missing-iat', lambda f: f.token(f.claims(iat=DROP)), message=MISSING_CLAIM.format('iat')),
    Hostile('missing-jti', lambda f: f.token(f.claims(jti=DROP)), message=MISSING_CLAIM.format('jti')),
    Hostile('missing-exp', lambda f: f.token(f.claims(exp=DROP)), message=MISSING_CLAIM.format('exp')),
    Hostile('missing-type', lambda f: f.token(f.claims(type=DROP)), message=MISSING_CLAIM.format('type')),
    Hostile('type-null', lambda f: f.token(f.claims(type=None)), message=MISSING_CLAIM.format('type')),
    Hostile('type-unknown', lambda f: f.token(f.claims(type='admin')), message=r'^Invalid token type\.$'),
    Hostile(
        'type-as-list', lambda f: f.token(f.claims(type=[ACCESS, REFRESH])), message=r'^Invalid token type\.$'
    ),
    Hostile('empty-claims', lambda f: f.token({}), message=r'^Token is missing the "\w+" claim$'),
    Hostile(
        'exp-not-a-number',
        lambda f: f.token(f.claims(exp='tomorrow')),
        message=r'^Expiration Time claim \(exp\) must be an integer\.$',
    ),
    Hostile(
        'iat-not-a-number',
        lambda f: f.token(f.claims(iat='today')),
        message=r'^Issued At claim \(iat\) must be an integer\.$',
    ),
    Hostile(
        'nbf-not-a-number',
        lambda f: f.token(f.claims(nbf='later')),
        message=r'^Not Before claim \(nbf\) must be an integer\.$',
    ),
    Hostile('jti-not-a-string', lambda f: f.token(f.claims(jti=12345)), message=r'^JWT ID must be a string$'),
    # Claims a key holder got wrong (a claims handler, a service sharing the key): well
    # signed, refused whole, before anything reads them.
    Hostile(
        'exp-numeric-string',
        lambda f: f.token(f.claims(exp=str(f.now + 3600))),
        message=NOT_A_NUMBER.format('exp'),
    ),
    Hostile(
        'iat-numeric-string', lambda f: f.token(f.claims(iat=str(f.now))), message=NOT_A_NUMBER.format('iat')
    ),
    Hostile(
        'nbf-numeric-string', lambda f: f.token(f.claims(nbf=str(f.now))), message=NOT_A_NUMBER.format('nbf')
    ),
    Hostile('exp-true', lambda f: f.token(f.claims(exp=True)), message=r'^Signature has expired$'),
    Hostile('iat-true', lambda f: f.token(f.claims(iat=True)), message=NOT_A_NUMBER.format('iat')),
    Hostile('nbf-false', lambda f: f.token(f.claims(nbf=False)), message=NOT_A_NUMBER.format('nbf')),
    Hostile(
        'exp-infinity',
        lambda f: f.token(payload=as_json(f.claims(exp=DROP))[:-1] + b',"exp":Infinity}'),
        message=r'^Expiration Time claim \(exp\) must be an integer\.$',
    ),
    Hostile(
        'exp-nan',
        lambda f: f.token(payload=as_json(f.claims(exp=DROP))[:-1] + b',"exp":NaN}'),
        message=r'^Expiration Time claim \(exp\) must be an integer\.$',
    ),
    Hostile('jti-empty', lambda f: f.token(f.claims(jti='')), message=JTI_NOT_VALID),
    Hostile('jti-nul', lambda f: f.token(f.claims(jti='a\x00b')), message=JTI_NOT_VALID),
    Hostile('jti-only-nul', lambda f: f.token(f.claims(jti='\x00')), message=JTI_NOT_VALID),
    Hostile('jti-lone-surrogate', lambda f: f.token(f.claims(jti='jti-\ud800')), message=JTI_NOT_VALID),
    Hostile('jti-null', lambda f: f.token(f.claims(jti=None)), message=MISSING_CLAIM.format('jti')),
    Hostile(
        'perms-a-number',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': 5})),
        message=PERMS_NOT_VALID,
    ),
    Hostile(
        'perms-a-string',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': 'auth.view_user'})),
        message=PERMS_NOT_VALID,
    ),
    Hostile(
        'perms-null',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': None})),
        message=PERMS_NOT_VALID,
    ),
    Hostile(
        'perms-an-object',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': {'auth.view_user': True}})),
        message=PERMS_NOT_VALID,
    ),
    Hostile(
        'perms-with-a-number',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': ['auth.view_user', 7]})),
        message=PERMS_NOT_VALID,
    ),
    Hostile(
        'perms-nested-list',
        lambda f: f.token(f.claims(user={**f.claims()['user'], 'perms': [['auth.view_user']]})),
        message=PERMS_NOT_VALID,
    ),
    Hostile('the-other-type-of-token', lambda f: f.good(f.other_type), message=WRONG_TYPE),
    # iss, aud and sub configured: each must match.
    Hostile(
        'wrong-iss',
        lambda f: f.token(f.claims(iss='evil.example')),
        config='CLAIMS',
        message=r'^Invalid issuer$',
    ),
    Hostile(
        'missing-iss',
        lambda f: f.token(f.claims(iss=DROP)),
        config='CLAIMS',
        message=MISSING_CLAIM.format('iss'),
    ),
    Hostile(
        'wrong-aud',
        lambda f: f.token(f.claims(aud='someone-else')),
        config='CLAIMS',
        message=r'^Audience doesn.t match$',
    ),
    Hostile(
        'aud-list-without-ours',
        lambda f: f.token(f.claims(aud=['a', 'b'])),
        config='CLAIMS',
        message=r'^Audience doesn.t match$',
    ),
    Hostile(
        'missing-aud',
        lambda f: f.token(f.claims(aud=DROP)),
        config='CLAIMS',
        message=MISSING_CLAIM.format('aud'),
    ),
    Hostile(
        'wrong-sub',
        lambda f: f.token(f.claims(sub='someone-else')),
        config='CLAIMS',
        message=r'^Invalid subject$',
    ),
    Hostile(
        'missing-sub',
        lambda f: f.token(f.claims(sub=DROP)),
        config='CLAIMS',
        message=MISSING_CLAIM.format('sub'),
    ),
    # Not a JWT at all, or not one PyJWT can read.
    Hostile('not-base64', lambda f: '!!!.@@@.###', message=NOT_DECODABLE),
    Hostile('one-segment', lambda f: 'notajwt', message=NOT_DECODABLE),
    Hostile('jwe-shaped-five-segments', lambda f: f.good() + '.AAAA.BBBB', message=NOT_DECODABLE),
    Hostile('header-not-json', lambda f: f.with_segment(0, b'not json'), message=NOT_DECODABLE),
    Hostile('header-json-array', lambda f: f.with_segment(0, b'["HS256"]'), message=NOT_DECODABLE),
    Hostile(
        'header-not-utf8', lambda f: f.with_segment(0, b'\xff\xfe{"alg":"HS256"}'), message=NOT_DECODABLE
    ),
    Hostile('payload-not-json', lambda f: f.token(payload=b'not json'), message=NOT_DECODABLE),
    Hostile('payload-json-array', lambda f: f.token(payload=b'[1, 2, 3]'), message=NOT_DECODABLE),
    Hostile('payload-json-string', lambda f: f.token(payload=b'"refresh"'), message=NOT_DECODABLE),
    Hostile('payload-not-utf8', lambda f: f.token(payload=b'{"type": "\xff\xfe"}'), message=NOT_DECODABLE),
    Hostile(
        'one-megabyte-token',
        lambda f: f.with_segment(1, b'{"pad":"' + b'A' * ONE_MEGABYTE + b'"}'),
        message=BAD_SIGNATURE,
    ),
    Hostile('nul-byte-inside', lambda f: f.good()[:40] + '\x00' + f.good()[40:], message=NOT_DECODABLE),
    Hostile('nul-byte-at-the-end', lambda f: f.good() + '\x00', message=NOT_DECODABLE),
    Hostile('non-utf8-bytes', lambda f: f.good() + '\xff\xfe', message=NOT_DECODABLE),
    Hostile('non-ascii-dots', lambda f: wire(f.good().replace('.', '\u2024')), message=NOT_DECODABLE),
    # Authorization header variants (read in JSON mode; cookie modes find no cookie).
    Hostile('header-lowercase-bearer', lambda f: Header('bearer ' + f.good()), message=HEADER_INVALID),
    Hostile('header-uppercase-bearer', lambda f: Header('BEARER ' + f.good()), message=HEADER_INVALID),
    Hostile('header-doubled-space', lambda f: Header('Bearer  ' + f.good()), message=HEADER_INVALID),
    Hostile('header-two-tokens', lambda f: Header(f'Bearer {f.good()} {f.good()}'), message=HEADER_INVALID),
    Hostile(
        'header-two-bearers-comma',
        lambda f: Header(f'Bearer {f.good()}, Bearer {f.good()}'),
        message=HEADER_INVALID,
    ),
    Hostile('header-empty', lambda f: Header(''), message=HEADER_MISSING),
    Hostile('header-scheme-only', lambda f: Header('Bearer'), message=HEADER_INVALID),
    Hostile('header-scheme-and-space', lambda f: Header('Bearer '), message=HEADER_INVALID),
    Hostile('header-no-scheme', lambda f: Header(f.good()), message=HEADER_INVALID),
    Hostile('header-tab', lambda f: Header('Bearer\t' + f.good()), message=HEADER_INVALID),
    Hostile('header-trailing-space', lambda f: Header(f'Bearer {f.good()} '), message=HEADER_INVALID),
    Hostile('header-leading-space', lambda f: Header(' Bearer ' + f.good()), message=HEADER_INVALID),
    Hostile('header-other-scheme', lambda f: Header('JWT ' + f.good()), message=HEADER_INVALID),
    Hostile('header-basic-credentials', lambda f: Header('Basic YWxpY2U6cGFzcw=='), message=HEADER_INVALID),
    Hostile('header-nul-separator', lambda f: Header('Bearer\x00' + f.good()), message=HEADER_INVALID),
    # Cookie variants (read in cookie modes; JSON mode finds no header).
    Hostile(
        'cookie-empty', lambda f: Cookies(((f.cookie, ''),)), message=r'^Cookie "\w+" cannot be empty\.$'
    ),
    Hostile(
        'cookie-under-a-wrong-name',
        lambda f: Cookies(((f.wrong_cookie, f.good()),)),
        message=r'^Cookie "\w+" cannot be empty\.$',
    ),
    Hostile(
        'cookie-name-in-capitals',
        lambda f: Cookies(((f.cookie.upper(), f.good()),)),
        message=r'^Cookie "\w+" cannot be empty\.$',
    ),
    Hostile(
        'cookie-with-bearer-prefix',
        lambda f: Cookies(((f.cookie, 'Bearer ' + f.good()),)),
        message=NOT_DECODABLE,
    ),
    Hostile(
        'cookie-percent-encoded-dots',
        lambda f: Cookies(((f.cookie, f.good().replace('.', '%2E')),)),
        message=NOT_DECODABLE,
    ),
    Hostile(
        'cookie-split-by-a-semicolon',
        lambda f: Cookies(((f.cookie, f.good()[:30] + ';' + f.good()[30:]),)),
        message=NOT_DECODABLE,
    ),
    Hostile(
        'cookie-unbalanced-quote', lambda f: Cookies(((f.cookie, '"' + f.good()),)), message=NOT_DECODABLE
    ),
    Hostile(
        'cookie-readable-payload-only',
        lambda f: Cookies(
            (
                (
                    'jwt_access_payload',
                    base64.b64encode(json.dumps(f.claims(ACCESS), sort_keys=True).encode()).decode(),
                ),
            )
        ),
        message=r'^Cookie "\w+" cannot be empty\.$',
    ),
]


@functools.lru_cache(maxsize=16)
def prepared_key(algorithm: str, pem: str | bytes) -> Any:
    """PyJWT's key object for a PEM key, parsed once: loading an RSA key costs 25 ms."""
    return get_default_algorithms()[algorithm].prepare_key(pem)
