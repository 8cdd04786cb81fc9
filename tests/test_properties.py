"""Properties, for any input hypothesis finds: claims round trips, header and cookie parsing.

Runs are derandomized (the same examples every time) and bounded by
``max_examples``; hypothesis keeps no example database in the work tree.
"""

from __future__ import annotations

import base64
import json
import string
import time

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.test import RequestFactory
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gql_djwto import errors
from gql_djwto.cookies import access_payload_cookie_value, token_cookies
from gql_djwto.errors import InvalidToken
from gql_djwto.settings import djwto_settings
from gql_djwto.tokens import decode, encode
from gql_djwto.transport import REFRESH_COOKIE, access_cookie_name, bearer_token, cookie_token

from .conftest import REFRESH_GRAPHQL

examples = hypothesis_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # settings are set once per test
)

BASE64URL = string.ascii_letters + string.digits + '-_'
# Claims that PyJWT or gql_djwto check: the property tests set them as a good token has them.
CHECKED_CLAIMS = {'iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'jti', 'type', 'user'}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def claim_sets(draw) -> dict:
    """A good token's claims, with any other claims beside them."""
    now = int(time.time())  # offsets are drawn, so every run draws the same choices
    claims = {
        'iat': now - draw(st.integers(0, 86400)),
        'exp': now + draw(st.integers(60, 10**8)),
        # A jti is non-empty and holds no NUL (hypothesis draws no lone surrogates).
        'jti': draw(st.text(min_size=1).filter(lambda jti: '\x00' not in jti)),
        'type': draw(st.sampled_from(['access', 'refresh'])),
        'user': {'username': draw(st.text()), 'id': draw(st.integers()), 'perms': draw(st.lists(st.text()))},
    }
    other = draw(
        st.dictionaries(
            st.text(max_size=12).filter(lambda name: name not in CHECKED_CLAIMS), json_values, max_size=5
        )
    )
    return {**other, **claims}


def well_formed_bearer(header: str) -> bool:
    """The rule: exactly ``Bearer``, one space, and a token holding no whitespace."""
    scheme, space, token = header.partition(' ')
    return scheme == 'Bearer' and space == ' ' and token != '' and token.split() == [token]


@examples
@given(claims=claim_sets())
def test_claims_survive_encode_and_decode(claims):
    assert decode(encode(claims), claims['type']) == claims


@examples
@given(
    claims=claim_sets(),
    jti=st.just('') | st.text().map(lambda text: text + '\x00'),
    perms=st.text() | st.integers() | st.lists(st.integers(), min_size=1),
)
def test_claims_of_the_wrong_shape_are_neither_signed_nor_read(claims, jti, perms):
    for wrong in ({**claims, 'jti': jti}, {**claims, 'user': {**claims['user'], 'perms': perms}}):
        with pytest.raises(ImproperlyConfigured):
            encode(wrong)
        with pytest.raises(InvalidToken):
            decode(jwt.encode(wrong, djwto_settings.SIGNING_KEY, algorithm='HS256'), wrong['type'])


@examples
@given(claims=claim_sets(), position=st.integers(min_value=0), replacement=st.sampled_from(BASE64URL + '.'))
def test_a_token_changed_at_any_character_is_refused_or_unchanged_in_meaning(claims, position, replacement):
    token = encode(claims)
    position %= len(token)
    assume(token[position] != replacement)
    tampered = token[:position] + replacement + token[position + 1 :]
    try:
        decoded = decode(tampered, claims['type'])
    except InvalidToken:
        return
    # Only the unused low bits of the signature's last character can change harmlessly.
    assert position == len(token) - 1
    assert decoded == claims


@examples
@given(
    token=st.text()
    | st.lists(st.binary(), min_size=1, max_size=5).map(
        lambda parts: '.'.join(base64.urlsafe_b64encode(part).decode().rstrip('=') for part in parts)
    )
)
def test_anything_that_is_not_our_token_is_refused_with_invalid_token(token):
    with pytest.raises(InvalidToken) as refused:
        decode(token)
    assert refused.value.message and refused.value.status == 403


bearer_headers = (
    st.text()
    | st.text().map(lambda text: 'Bearer ' + text)
    | st.from_regex(r'\A[Bb]earer[ \t]{1,2}[A-Za-z0-9._-]{1,30}([ ,][A-Za-z0-9._-]{0,10})?\s?\Z')
)


@examples
@given(header=bearer_headers)
def test_bearer_header_yields_its_token_exactly_when_well_formed(header):
    request = HttpRequest()
    request.META['HTTP_AUTHORIZATION'] = header
    try:
        token = bearer_token(request)
    except InvalidToken as refused:
        assert not well_formed_bearer(header)
        expected = errors.HEADER_MISSING if header == '' else errors.HEADER_INVALID
        assert refused.message == expected  # noqa: PT017 - refused or not, both are the property
    else:
        assert well_formed_bearer(header)
        assert header == 'Bearer ' + token


@pytest.fixture
def two_cookies(settings):
    settings.DJWTO_MODE = 'TWO-COOKIES'


def sent_back(response: HttpResponse) -> str:
    """The Cookie header a browser sends back for the cookies ``response`` set."""
    return '; '.join(morsel.OutputString().split(';')[0] for morsel in response.cookies.values())


@examples
@given(claims=claim_sets())
def test_token_cookies_come_back_as_they_were_set(claims, two_cookies):
    refresh, access = encode({**claims, 'type': 'refresh'}), encode({**claims, 'type': 'access'})
    response = HttpResponse()
    for action in token_cookies(refresh, access, claims):
        action.apply(response)

    request = RequestFactory().post(REFRESH_GRAPHQL, HTTP_COOKIE=sent_back(response))

    assert cookie_token(request, 'refresh') == refresh
    assert cookie_token(request, 'access') == access
    # djwto's value: standard base64 of the claims as JSON (ASCII only), keys sorted.
    text = base64.b64decode(request.COOKIES['jwt_access_payload'], validate=True).decode('ascii')
    assert text == json.dumps(claims, sort_keys=True)
    assert json.loads(text) == claims


@examples
@given(claims=st.dictionaries(st.text(), json_values, max_size=8))
def test_the_readable_payload_is_base64_of_the_claims_as_sorted_json(claims):
    value = access_payload_cookie_value(claims)
    text = base64.b64decode(value, validate=True).decode('ascii')
    assert text == json.dumps(claims, sort_keys=True)
    assert json.loads(text) == claims


# What a WSGI server can hand Django: a header's bytes read as latin-1.
wire_text = st.text(alphabet=st.characters(max_codepoint=255))


@examples
@given(
    raw=wire_text
    | st.builds(
        lambda name, value, rest: f'{name}={value}; {rest}',
        st.sampled_from([REFRESH_COOKIE, 'jwt_access_token', 'jwt_access']),
        wire_text,
        wire_text,
    )
)
def test_any_cookie_header_gives_the_cookies_value_or_a_clean_refusal(raw, two_cookies):
    request = RequestFactory().post(REFRESH_GRAPHQL, HTTP_COOKIE=raw)
    parsed = parse_cookie(raw.encode('latin-1').decode('utf-8', 'replace'))  # as Django reads it
    for jwt_type, name in (('refresh', REFRESH_COOKIE), ('access', access_cookie_name())):
        try:
            token = cookie_token(request, jwt_type)
        except InvalidToken as refused:
            assert not parsed.get(name)
            assert refused.message == errors.COOKIE_EMPTY.format(name=name)  # noqa: PT017 - as above
        else:
            assert token == parsed[name] != ''
