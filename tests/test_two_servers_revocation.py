"""Revocation through one server is refused by the other at once: two gunicorns, one PostgreSQL, one Redis.

DJWTO_REVOCATION_CACHE and DJWTO_REVOKE_ALL on, the cache in Redis database 8.
PostgreSQL pass only, as tests/test_two_servers.py; the database is created
for this module and dropped after it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from .processes import REPO, demo_environment, port_is_open
from .test_two_servers import (
    LOGIN,
    REFRESH_GRAPHQL,
    SETUP,
    Server,
    admin_connection,
    outcome,
    start_gunicorns,
)

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        django_settings.DATABASE_KIND != 'postgresql',
        reason='two servers share a PostgreSQL database: run with GQL_DJWTO_TEST_DB=postgresql',
    ),
]

DATABASE = 'gql_djwto_two_servers_revocation'
REDIS_URL = 'redis://127.0.0.1:6379/8'
VERIFY = 'mutation { verify { msg } }'


@pytest.fixture(scope='module')
def servers(tmp_path_factory):
    if not port_is_open(6379):
        message = 'needs Redis at 127.0.0.1:6379 for the revocation cache'
        if os.environ.get('GQL_DJWTO_REQUIRE_SERVICES') == '1':
            pytest.fail(message)
        pytest.skip(message)
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)')
        connection.execute(f'CREATE DATABASE {DATABASE}')
    env = demo_environment(
        DJANGO_SETTINGS_MODULE='schema_demo.settings',
        DEMO_PG_NAME=DATABASE,
        DEMO_DEBUG='0',
        DJWTO_MODE='JSON',
        DJWTO_SIGNING_KEY=secrets.token_urlsafe(48),
        DEMO_REDIS_URL=REDIS_URL,
        DJWTO_REVOCATION_CACHE='default',
        DJWTO_REVOKE_ALL='true',
    )
    started = []
    try:
        subprocess.run([sys.executable, '-c', SETUP], cwd=REPO, env=env, check=True, timeout=60)
        folder = tmp_path_factory.mktemp('gunicorn')
        start_gunicorns(env, folder, started)
        yield started
    finally:
        for server in started:
            server.stop()
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)')


def login(server: Server, username: str = 'alice') -> dict:
    return server.graphql(LOGIN, {'u': username, 'p': 'pass'})['data']['tokenAuth']


def reason(body: dict) -> str | None:
    return body['errors'][0]['extensions']['reason'] if body.get('errors') else None


def test_a_revoke_through_one_server_refuses_the_access_token_on_the_other_at_once(servers):
    a, b = servers
    tokens = login(a)
    assert outcome(b.graphql(VERIFY, bearer=tokens['access'])) == 'Token is valid'  # b remembers it
    assert outcome(
        a.graphql('mutation { revoke { msg } }', path=REFRESH_GRAPHQL, bearer=tokens['refresh'])
    ) == ('Token successfully blacklisted.')
    body = b.graphql(VERIFY, bearer=tokens['access'])
    assert outcome(body) == 'Token has been revoked.' and reason(body) == 'TOKEN_REVOKED'
    assert reason(b.graphql('{ me { username } }', bearer=tokens['access'])) == 'TOKEN_REVOKED'


def test_revoke_all_through_one_server_ends_the_users_sessions_on_the_other(servers):
    a, b = servers
    first, second = login(a, 'bob'), login(b, 'bob')
    assert outcome(b.graphql(VERIFY, bearer=second['access'])) == 'Token is valid'
    assert outcome(a.graphql('mutation { revokeAll { msg } }', bearer=first['access'])) == (
        'All sessions successfully revoked.'
    )
    for tokens in (first, second):
        assert reason(b.graphql(VERIFY, bearer=tokens['access'])) == 'TOKEN_REVOKED'
        assert (
            reason(
                b.graphql(
                    'mutation { refreshAccess { msg } }', path=REFRESH_GRAPHQL, bearer=tokens['refresh']
                )
            )
            == 'TOKEN_REVOKED'
        )
    assert outcome(a.graphql(VERIFY, bearer=login(b, 'alice')['access'])) == 'Token is valid', (
        'alice untouched'
    )
