"""Served under a script prefix: the refresh cookie follows the prefix.

A project mounted at ``/app`` (SCRIPT_NAME from the WSGI server, or
FORCE_SCRIPT_NAME behind a proxy that strips it) is seen by the browser at
``/app/...``: the refresh cookie's Path must be ``/app/api/token/refresh``
for the browser to send it back, and the off-path check must compare the
path inside the project.
"""

from __future__ import annotations

import pytest
import requests
from django.core.handlers.wsgi import get_script_name
from django.db import connections
from django.test import Client
from django.test.client import ClientHandler
from django.test.testcases import LiveServerThread
from django.urls import set_script_prefix

from gql_djwto.models import JWTBlacklist
from schema_demo.server import NoDelayThreadedWSGIServer

from .conftest import (
    DELETE_COOKIES,
    GRAPHQL,
    LOGIN,
    REFRESH_ACCESS,
    REFRESH_GRAPHQL,
    REVOKE,
    UPDATE_REFRESH,
    Api,
)

PREFIX = '/app'
COOKIE_PATH = '/app/api/token/refresh'


class ServerHandler(ClientHandler):
    """The test client's handler, setting the script prefix per request as Django's WSGIHandler does."""

    def __call__(self, environ):
        set_script_prefix(get_script_name(environ))
        try:
            return super().__call__(environ)
        finally:
            set_script_prefix('/')


class ServerClient(Client):
    def __init__(self, **defaults):
        super().__init__(enforce_csrf_checks=True, **defaults)
        self.handler = ServerHandler(enforce_csrf_checks=True)


@pytest.fixture(params=['SCRIPT_NAME', 'FORCE_SCRIPT_NAME'])
def prefixed_api(request, settings, cookie_mode, alice) -> Api:
    """A browser-like client of the project mounted at /app, told so by the server or the settings."""
    if request.param == 'SCRIPT_NAME':
        client = ServerClient(SCRIPT_NAME=PREFIX)
    else:
        settings.FORCE_SCRIPT_NAME = PREFIX
        client = ServerClient()
    api = Api(client, cookie_mode)
    api.load_page()
    return api


def test_the_refresh_cookie_is_set_under_the_prefix(prefixed_api):
    cookie = prefixed_api.login().cookie('jwt_refresh')
    assert cookie['path'] == COOKIE_PATH


@pytest.mark.parametrize(
    'operation, field',
    [
        pytest.param(REFRESH_ACCESS, 'refreshAccess', id='refreshAccess'),
        pytest.param(UPDATE_REFRESH, 'updateRefresh', id='updateRefresh'),
        pytest.param(REVOKE, 'revoke', id='revoke'),
    ],
)
def test_refresh_operations_succeed_at_the_prefixed_refresh_url(prefixed_api, operation, field):
    prefixed_api.login().field('tokenAuth')
    result = prefixed_api.with_refresh(operation)
    assert result.errors == [], result.body
    assert result.data[field]['msg']
    if field != 'revoke':
        assert result.cookie('jwt_refresh')['path'] == COOKIE_PATH
    else:
        assert JWTBlacklist.objects.count() == 1


def test_the_refresh_cookie_is_deleted_under_the_prefix(prefixed_api):
    prefixed_api.login().field('tokenAuth')
    result = prefixed_api.with_access(DELETE_COOKIES)
    assert result.field('deleteCookies')['msg'] == 'Tokens successfully deleted.'
    deleted = result.cookie('jwt_refresh')
    assert deleted['path'] == COOKIE_PATH and deleted['max-age'] == 0


def test_a_refresh_token_off_the_refresh_path_is_still_refused(prefixed_api):
    prefixed_api.login().field('tokenAuth')
    refresh = prefixed_api.token('refresh')
    prefixed_api.client.cookies['jwt_refresh'] = refresh  # sent where no browser would send it
    result = prefixed_api.client.post(
        GRAPHQL,
        {'query': REFRESH_ACCESS},
        content_type='application/json',
        HTTP_X_CSRFTOKEN=prefixed_api.client.cookies['csrftoken'].value,
    ).json()
    assert result['errors'][0]['message'] == 'Refresh token is only sent in path: app/api/token/refresh'


def test_a_missing_refresh_cookie_off_the_path_names_the_prefixed_path(prefixed_api):
    prefixed_api.login().field('tokenAuth')
    result = prefixed_api.with_refresh(REFRESH_ACCESS, path=GRAPHQL)
    assert result.error['message'] == (
        'Refresh cookie is only sent in path "/app/api/token/refresh". Requested path was: /app/graphql/.'
    )


def test_the_cookie_path_is_percent_encoded_as_the_browser_compares_it(settings, alice):
    settings.DJWTO_MODE = 'ONE-COOKIE'
    api = Api(ServerClient(SCRIPT_NAME='/my app;x'), 'ONE-COOKIE')
    api.load_page()
    assert api.login().cookie('jwt_refresh')['path'] == '/my%20app%3Bx/api/token/refresh'


def test_json_mode_works_under_a_prefix(settings, alice):
    settings.DJWTO_MODE = 'JSON'
    api = Api(ServerClient(SCRIPT_NAME=PREFIX), 'JSON')
    api.login().field('tokenAuth')
    assert api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['access']


# Over real HTTP, with a cookie jar that honours Path, as a browser does.


class MountedAtPrefix:
    """What a server mounting the project at /app does: move the prefix to SCRIPT_NAME."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        path = environ['PATH_INFO']
        if path != PREFIX and not path.startswith(PREFIX + '/'):
            start_response('404 Not Found', [('Content-Type', 'text/plain')])
            return [b'Only /app is served here.']
        environ['SCRIPT_NAME'] = PREFIX
        environ['PATH_INFO'] = path[len(PREFIX) :] or '/'
        return self.application(environ, start_response)


@pytest.fixture
def mounted_server(transactional_db, settings):
    """A live server (Django's WSGIHandler) mounted at /app, sharing the test database."""
    settings.ALLOWED_HOSTS = ['127.0.0.1']
    settings.DJWTO_COOKIE_SECURE = False  # plain http: a jar keeps no Secure cookie for it
    shared = {
        conn.alias: conn for conn in connections.all() if conn.vendor == 'sqlite' and conn.is_in_memory_db()
    }
    thread = LiveServerThread('127.0.0.1', MountedAtPrefix, connections_override=shared, port=0)
    thread.server_class = NoDelayThreadedWSGIServer
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f'http://127.0.0.1:{thread.port}{PREFIX}'
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def post(session: requests.Session, url: str, query: str, variables=None) -> dict:
    response = session.post(
        url,
        json={'query': query, 'variables': variables or {}},
        timeout=10,
        headers={'X-CSRFToken': session.cookies.get('csrftoken', '')},
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.mark.parametrize('mode', ['ONE-COOKIE', 'TWO-COOKIES'])
def test_a_cookie_jar_sends_the_refresh_cookie_only_to_the_prefixed_refresh_url(
    mounted_server, settings, mode
):
    from django.contrib.auth.models import User

    User.objects.create_user('alice', password='pass')
    settings.DJWTO_MODE = mode
    session = requests.Session()
    assert session.get(mounted_server + GRAPHQL, headers={'Accept': 'text/html'}, timeout=10).ok

    login = post(session, mounted_server + GRAPHQL, LOGIN, {'username': 'alice', 'password': 'pass'})
    assert login['data']['tokenAuth']['msg'] == 'Tokens successfully created.'
    assert [c.path for c in session.cookies if c.name == 'jwt_refresh'] == [COOKIE_PATH]

    refreshed = post(session, mounted_server + REFRESH_GRAPHQL, REFRESH_ACCESS)
    assert refreshed['data']['refreshAccess']['msg'] == 'Access token successfully refreshed.'
    updated = post(session, mounted_server + REFRESH_GRAPHQL, UPDATE_REFRESH)
    assert updated['data']['updateRefresh']['msg'] == 'Refresh token successfully updated.'

    off_path = post(session, mounted_server + GRAPHQL, REFRESH_ACCESS)
    assert off_path['errors'][0]['message'].startswith('Refresh cookie is only sent in path "/app/')

    revoked = post(session, mounted_server + REFRESH_GRAPHQL, REVOKE)
    assert revoked['data']['revoke']['msg'] == 'Token successfully blacklisted.'
    assert JWTBlacklist.objects.count() == 1
