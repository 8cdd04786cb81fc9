"""The DJWTO_* settings: djwto 0.0.4's names and defaults, read lazily, validated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from django.core.checks import ERROR, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from gql_djwto.settings import djwto_settings

from .conftest import LOGIN, VERIFY, Api, browser_like
from .keypairs import key_pair

KEY = 'tests-signing-key-that-is-long-enough-for-hs256'
ENV_KEY = 'signing-key-from-the-environment-long-enough-for-hs256'

DJWTO_DEFAULTS = {
    'ISS_CLAIM': None,
    'SUB_CLAIM': None,
    'AUD_CLAIM': None,
    'IAT_CLAIM': True,
    'JTI_CLAIM': True,
    'ALLOW_REFRESH_UPDATE': True,
    'ACCESS_TOKEN_LIFETIME': timedelta(minutes=5),
    'REFRESH_TOKEN_LIFETIME': timedelta(days=1),
    'NBF_LIFETIME': timedelta(0),
    'VERIFYING_KEY': None,
    'ALGORITHM': 'HS256',
    'MODE': 'JSON',
    'REFRESH_COOKIE_PATH': 'api/token/refresh',
    'SAME_SITE': 'Lax',
    'DOMAIN': None,
    'CSRF': True,
    'COOKIE_SECURE': True,
}

INVALID = [
    ('DJWTO_SIGNING_KEY', None),
    ('DJWTO_SIGNING_KEY', ''),
    ('DJWTO_MODE', 'COOKIES'),
    ('DJWTO_ACCESS_TOKEN_LIFETIME', 300),
    ('DJWTO_REFRESH_TOKEN_LIFETIME', '1 day'),
    ('DJWTO_NBF_LIFETIME', 30),
    ('DJWTO_ISS_CLAIM', 42),
    ('DJWTO_SUB_CLAIM', b'subject'),
    ('DJWTO_AUD_CLAIM', 7),
    ('DJWTO_AUD_CLAIM', ['web', 7]),
    ('DJWTO_ALGORITHM', 'HS1024'),
    ('DJWTO_ALGORITHM', 'none'),
    ('DJWTO_REFRESH_COOKIE_PATH', '/api/token/refresh'),
    ('DJWTO_SAME_SITE', 'Sometimes'),
    ('DJWTO_DOMAIN', 5),
    ('DJWTO_CSRF', 'yes'),
    ('DJWTO_COOKIE_SECURE', 'yes'),
    ('DJWTO_IAT_CLAIM', 'yes'),
    ('DJWTO_DOCUMENT_CACHE_SIZE', -1),
    ('DJWTO_DOCUMENT_CACHE_BYTES', '8 MB'),
    ('DJWTO_CLAIMS_HANDLER', 'tests.handlers.no_such_function'),
    ('DJWTO_USER_CLAIMS_HANDLER', 'no_such_module.user_claims'),
    ('DJWTO_PERMS_HANDLER', 'tests.handlers.perms'),
    ('DJWTO_PERMS_HANDLER', 'tests.handlers'),  # a module, not a callable
    ('DJWTO_AUTHENTICATE_HANDLER', 'tests.handlers.no_such_function'),
]


def case_id(name, value):
    return f'{name}={value!r}'


@pytest.fixture(params=INVALID, ids=[case_id(*case) for case in INVALID])
def misconfigured(request, settings, monkeypatch):
    """Give one setting an invalid value; return its name."""
    name, value = request.param
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    setattr(settings, name, value)
    return name


def djwto_check_messages():
    return [message for message in run_checks() if message.id.startswith('gql_djwto.')]


# Reading.


def test_defaults_are_djwtos():
    for attr, default in DJWTO_DEFAULTS.items():
        assert getattr(djwto_settings, attr) == default, attr


def test_importing_the_package_reads_no_setting():
    script = textwrap.dedent("""
        import django
        from django.conf import settings
        settings.configure(
            INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes',
                            'graphene_django', 'gql_djwto'],
            DJWTO_MODE='NO-SUCH-MODE', DJWTO_ALGORITHM='none', DJWTO_ACCESS_TOKEN_LIFETIME=300,
        )
        django.setup()
        import gql_djwto.decorators, gql_djwto.schema, gql_djwto.service, gql_djwto.views
        from gql_djwto.settings import djwto_settings
        print('imported', flush=True)
        djwto_settings.MODE
    """)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ('DJWTO_SIGNING_KEY', 'DJANGO_SETTINGS_MODULE')
    }
    done = subprocess.run(
        [sys.executable, '-c', script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        env=env,
        check=False,
    )
    assert done.stdout == 'imported\n', done.stderr
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith('django.core.exceptions.ImproperlyConfigured: DJWTO_MODE must be')


def test_settings_follow_override_settings():
    assert djwto_settings.MODE == 'JSON'
    with override_settings(DJWTO_MODE='TWO-COOKIES'):
        assert djwto_settings.MODE == 'TWO-COOKIES'
    assert djwto_settings.MODE == 'JSON'


def test_settings_follow_the_settings_fixture(settings):
    assert djwto_settings.ACCESS_TOKEN_LIFETIME == timedelta(minutes=5)
    settings.DJWTO_ACCESS_TOKEN_LIFETIME = timedelta(minutes=1)
    assert djwto_settings.ACCESS_TOKEN_LIFETIME == timedelta(minutes=1)


def access_lifetime(api):
    claims = api.with_access(VERIFY).field('verify')['claims']
    return claims['exp'] - claims['iat']


def test_tokens_are_issued_under_the_settings_of_the_moment(api):
    with override_settings(DJWTO_ACCESS_TOKEN_LIFETIME=timedelta(minutes=1)):
        api.login()
        assert access_lifetime(api) == 60
    later = browser_like(api.mode)
    later.login()
    assert access_lifetime(later) == 300


def test_signing_key_falls_back_to_the_environment(api, settings, monkeypatch):
    monkeypatch.setenv('DJWTO_SIGNING_KEY', ENV_KEY)
    settings.DJWTO_SIGNING_KEY = None
    assert djwto_settings.SIGNING_KEY == ENV_KEY
    api.login()
    assert api.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    assert jwt.decode(api.token('access'), ENV_KEY, algorithms=['HS256'])['type'] == 'access'


def test_signing_key_setting_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv('DJWTO_SIGNING_KEY', ENV_KEY)
    assert djwto_settings.SIGNING_KEY == KEY


def test_deleted_signing_key_falls_back_to_the_environment(settings, monkeypatch):
    assert djwto_settings.SIGNING_KEY == KEY  # read, and so remembered, before the deletion
    del settings.DJWTO_SIGNING_KEY
    monkeypatch.setenv('DJWTO_SIGNING_KEY', ENV_KEY)
    assert djwto_settings.SIGNING_KEY == ENV_KEY


# Validation.


def test_invalid_setting_raises_improperly_configured_naming_it(misconfigured):
    with pytest.raises(ImproperlyConfigured, match=misconfigured):
        getattr(djwto_settings, misconfigured.removeprefix('DJWTO_'))


def test_invalid_setting_is_a_system_check_error_naming_it(misconfigured):
    [message] = djwto_check_messages()
    assert message.level == ERROR
    assert message.id.startswith('gql_djwto.E')
    assert misconfigured in message.msg


def test_valid_settings_pass_the_system_checks(mode):
    assert djwto_check_messages() == []


def test_every_invalid_setting_is_reported_under_its_own_id(settings, monkeypatch):
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    names = dict(INVALID)
    for name, value in names.items():
        setattr(settings, name, value)
    messages = djwto_check_messages()
    assert len({message.id for message in messages}) == len(messages) == len(names)
    for name in names:
        assert [m for m in messages if name in m.msg and m.id.startswith('gql_djwto.E')], name


@pytest.mark.parametrize('algorithm', ['RS256', 'ES256'])
def test_asymmetric_algorithm_without_verifying_key_is_a_check_error(settings, algorithm):
    private, public = key_pair(algorithm, 'A')
    settings.DJWTO_ALGORITHM = algorithm
    settings.DJWTO_SIGNING_KEY = private
    [message] = djwto_check_messages()
    assert message.level == ERROR
    assert message.id.startswith('gql_djwto.E')
    assert 'DJWTO_VERIFYING_KEY' in message.msg
    settings.DJWTO_VERIFYING_KEY = public
    assert djwto_check_messages() == []


# A bad setting met by a request.

NOT_PROCESSED = {
    'message': 'Failed to process request.',
    'extensions': {'code': 'INTERNAL_SERVER_ERROR', 'status': 500, 'reason': 'NOT_PROCESSED'},
}
TOKEN_SETTINGS = [case for case in INVALID if not case[0].startswith('DJWTO_DOCUMENT_CACHE_')]
# Settings the view reads before any field runs: a bad one refuses the whole request.
VIEW_SETTINGS = {'DJWTO_MODE', 'DJWTO_CSRF', 'DJWTO_DOCUMENT_CACHE_SIZE', 'DJWTO_DOCUMENT_CACHE_BYTES'}
# The settings that reading a token needs: where it travels, how it is signed, what it must claim.
READ_BY_DECODING = {
    'DJWTO_SIGNING_KEY',
    'DJWTO_MODE',
    'DJWTO_ACCESS_TOKEN_LIFETIME',
    'DJWTO_REFRESH_TOKEN_LIFETIME',
    'DJWTO_ISS_CLAIM',
    'DJWTO_SUB_CLAIM',
    'DJWTO_AUD_CLAIM',
    'DJWTO_ALGORITHM',
    'DJWTO_IAT_CLAIM',
}
# verify's answer to the client's cookie, 'x.y.z', when the settings let it read that.
BAD_TOKEN_REFUSED = {
    'message': 'Invalid header padding',
    'extensions': {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_MALFORMED'},
}


@pytest.fixture
def cookie_client(alice, settings):
    """A ONE-COOKIE client (the mode that reads every setting) holding a bad access cookie."""
    settings.DJWTO_MODE = 'ONE-COOKIE'
    api = Api(Client(enforce_csrf_checks=True, raise_request_exception=False), 'ONE-COOKIE')
    api.load_page()
    api.set_token('access', 'x.y.z')
    return api


def post(api, query, variables=None, status=200):
    """POST a new document (so the document cache stores one) with the CSRF header."""
    response = api.client.post(
        '/graphql/',
        json.dumps({'query': f'{query} # {uuid.uuid4()}', 'variables': variables or {}}),
        content_type='application/json',
        HTTP_X_CSRFTOKEN=api.client.cookies['csrftoken'].value,
    )
    assert response.status_code == status
    return response.json()


def whole_request_error(body):
    """The one error of a request refused before any field ran."""
    assert 'data' not in body
    [error] = body['errors']
    return error


def only_error(body, operation):
    assert body['data'] == {operation: None}
    [error] = body['errors']
    assert error.pop('path') == [operation]
    error.pop('locations')
    return error


@pytest.mark.parametrize('name, value', TOKEN_SETTINGS, ids=[case_id(*c) for c in TOKEN_SETTINGS])
def test_invalid_setting_met_by_login_is_a_coded_graphql_error(
    cookie_client, settings, monkeypatch, name, value
):
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    setattr(settings, name, value)
    if name in VIEW_SETTINGS:
        body = post(cookie_client, LOGIN, {'username': 'alice', 'password': 'pass'}, status=500)
        assert whole_request_error(body) == NOT_PROCESSED
    else:
        body = post(cookie_client, LOGIN, {'username': 'alice', 'password': 'pass'})
        assert only_error(body, 'tokenAuth') == NOT_PROCESSED


@pytest.mark.parametrize('name, value', INVALID, ids=[case_id(*c) for c in INVALID])
def test_invalid_setting_met_by_verify_is_a_coded_graphql_error(
    cookie_client, settings, monkeypatch, name, value
):
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    setattr(settings, name, value)
    if name in VIEW_SETTINGS:
        assert whole_request_error(post(cookie_client, VERIFY, status=500)) == NOT_PROCESSED
        return
    error = only_error(post(cookie_client, VERIFY), 'verify')
    # Settings that reading a token needs stop it; with the others it refuses the bad token.
    assert error == (NOT_PROCESSED if name in READ_BY_DECODING else BAD_TOKEN_REFUSED)


def test_invalid_document_cache_size_refuses_requests_and_logs_the_setting(cookie_client, settings, caplog):
    """The one policy for bad settings met by a request (gql_djwto.refusals), for the view's own settings."""
    settings.DJWTO_DOCUMENT_CACHE_SIZE = -1
    body = post(cookie_client, LOGIN, {'username': 'alice', 'password': 'pass'}, status=500)
    assert whole_request_error(body) == NOT_PROCESSED
    assert 'DJWTO_DOCUMENT_CACHE_SIZE' in caplog.text


def test_a_bad_mode_is_answered_as_a_bad_setting_not_as_a_csrf_failure(alice, settings, caplog):
    """DJWTO_MODE=BAD used to answer a JSON client without a CSRF token with "CSRF Failed"."""
    settings.DJWTO_MODE = 'BAD'
    response = Client(enforce_csrf_checks=True).post(
        '/graphql/',
        json.dumps({'query': LOGIN, 'variables': {'username': 'alice', 'password': 'pass'}}),
        content_type='application/json',
    )
    assert response.status_code == 500
    assert whole_request_error(response.json()) == NOT_PROCESSED
    assert 'DJWTO_MODE' in caplog.text


def test_signing_key_value_is_shown_neither_to_clients_nor_in_checks(alice, settings):
    settings.DJWTO_SIGNING_KEY = 8675309
    [message] = djwto_check_messages()
    assert 'DJWTO_SIGNING_KEY' in message.msg and '8675309' not in message.msg
    body = Api(Client(), 'JSON').post(VERIFY, bearer='x.y.z').body
    assert only_error(body, 'verify') == NOT_PROCESSED


def test_asymmetric_key_that_does_not_parse_is_a_check_error(settings):
    settings.DJWTO_ALGORITHM = 'RS256'
    settings.DJWTO_SIGNING_KEY = settings.DJWTO_VERIFYING_KEY = 'not a PEM key'
    assert [m for m in djwto_check_messages() if 'DJWTO_SIGNING_KEY' in m.msg]


@pytest.mark.parametrize(
    'keys, operation',
    [
        ({'DJWTO_VERIFYING_KEY': None}, 'verify'),
        ({'DJWTO_SIGNING_KEY': 'not a PEM key', 'DJWTO_VERIFYING_KEY': 'not a PEM key'}, 'tokenAuth'),
    ],
    ids=['no-verifying-key', 'keys-not-pem'],
)
def test_unusable_asymmetric_key_met_by_a_request_is_a_coded_graphql_error(alice, settings, keys, operation):
    private, _ = key_pair('RS256', 'A')
    settings.DJWTO_ALGORITHM = 'RS256'
    settings.DJWTO_SIGNING_KEY = private
    token = Api(Client(), 'JSON').login().field('tokenAuth')['access']
    for name, value in keys.items():
        setattr(settings, name, value)
    api = Api(Client(), 'JSON')
    result = api.login() if operation == 'tokenAuth' else api.post(VERIFY, bearer=token)
    assert only_error(result.body, operation) == NOT_PROCESSED


# GraphiQL: served while DEBUG is on, unless DJWTO_GRAPHIQL says otherwise.


def graphiql_served():
    response = Client().get('/graphql/', HTTP_ACCEPT='text/html')
    return b'graphiql' in response.content.lower()


@pytest.mark.parametrize('debug', [False, True])
def test_graphiql_follows_debug_by_default(db, settings, debug):
    del settings.DJWTO_GRAPHIQL
    settings.DEBUG = debug
    assert graphiql_served() is debug


@pytest.mark.parametrize('debug', [False, True])
@pytest.mark.parametrize('graphiql', [False, True])
def test_an_explicit_graphiql_setting_wins_over_debug(db, settings, debug, graphiql):
    settings.DEBUG = debug
    settings.DJWTO_GRAPHIQL = graphiql
    assert graphiql_served() is graphiql


def test_graphiql_default_follows_override_settings_of_debug(db, settings):
    del settings.DJWTO_GRAPHIQL
    assert djwto_settings.GRAPHIQL is False
    with override_settings(DEBUG=True):
        assert djwto_settings.GRAPHIQL is True
    assert djwto_settings.GRAPHIQL is False


# A value read while the settings change is answered, never kept.


def test_a_value_computed_across_a_settings_change_is_not_kept():
    change = override_settings(DJWTO_ACCESS_TOKEN_LIFETIME=timedelta(minutes=1))

    def compute_then_settings_change():
        lifetime = djwto_settings.ACCESS_TOKEN_LIFETIME
        change.enable()  # e.g. override_settings entered or left in another thread
        djwto_settings.MODE  # noqa: B018 - ... whose reads go on meanwhile
        return lifetime

    def lifetime():
        return djwto_settings.ACCESS_TOKEN_LIFETIME

    try:
        assert djwto_settings.derived(('test-lifetime',), compute_then_settings_change) == timedelta(
            minutes=5
        )
        assert djwto_settings.derived(('test-lifetime',), lifetime) == timedelta(minutes=1)
    finally:
        change.disable()
    assert djwto_settings.derived(('test-lifetime',), lifetime) == timedelta(minutes=5)
