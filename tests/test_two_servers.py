"""Several servers: the demo under gunicorn on two ports, sharing one PostgreSQL database and one Redis.

A revoke through one server is seen at once by the other; failed logins
through one count on the other; an oversized token is a clean 4xx from
gunicorn. PostgreSQL pass only: the database is created for this module and
dropped after it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from typing import Any

import pytest
import requests
from django.conf import settings as django_settings

from .processes import REPO, ServerProcess, demo_environment, free_port, port_is_open

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        django_settings.DATABASE_KIND != 'postgresql',
        reason='two servers share a PostgreSQL database: run with GQL_DJWTO_TEST_DB=postgresql',
    ),
]

DATABASE = 'gql_djwto_two_servers'
REDIS_URL = 'redis://127.0.0.1:6379/0'
FAILURES_ALLOWED = 3
HTTP_TIMEOUT = 10
GRAPHQL = '/graphql/'
REFRESH_GRAPHQL = '/api/token/refresh/graphql/'
LOGIN = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { msg access refresh } }'
SETUP = (
    'import django; django.setup(); '
    'from django.core.management import call_command; call_command("migrate", verbosity=0); '
    'from schema_demo.__main__ import create_demo_users; create_demo_users()'
)


def admin_connection():
    import psycopg

    return psycopg.connect(
        host=os.environ.get('PGHOST', '127.0.0.1'),
        port=os.environ.get('PGPORT', '5432'),
        user=os.environ.get('PGUSER', 'postgres'),
        dbname='postgres',
        autocommit=True,
    )


def redis_is_running() -> bool:
    return port_is_open(6379)


class Server(ServerProcess):
    """One gunicorn serving the demo, its output in a file."""

    def post(
        self,
        query: str,
        variables: dict | None = None,
        *,
        path: str = GRAPHQL,
        bearer: str | None = None,
        **headers: str,
    ) -> requests.Response:
        if bearer:
            headers['Authorization'] = f'Bearer {bearer}'
        return requests.post(
            f'http://127.0.0.1:{self.port}{path}',
            json={'query': query, 'variables': variables or {}},
            headers=headers,
            timeout=HTTP_TIMEOUT,
        )

    def graphql(self, query: str, variables: dict | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text[:500]
        return response.json()


def start_gunicorns(env: dict[str, str], folder: Any, started: list[Server]) -> None:
    """Start two gunicorns serving the demo under ``env``, each appended to ``started`` (the caller stops them)."""
    for name in ('a', 'b'):
        port = free_port()
        started.append(
            Server.start(
                [
                    '-m',
                    'gunicorn',
                    'schema_demo.wsgi:application',
                    '--bind',
                    f'127.0.0.1:{port}',
                    '--workers',
                    '1',
                    '--threads',
                    '4',
                ],
                env,
                folder / f'{name}.log',
                port,
            )
        )


def outcome(body: dict[str, Any]) -> Any:
    """The error's message, else the one field's msg."""
    if body.get('errors'):
        return body['errors'][0]['message']
    return next(iter(body['data'].values()))['msg']


@pytest.fixture(scope='module')
def shared_database():
    """Create the servers' database, and drop it after the module."""
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)')
        connection.execute(f'CREATE DATABASE {DATABASE}')
    yield DATABASE
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)')


@pytest.fixture(scope='module')
def servers(shared_database, tmp_path_factory) -> list[Server]:
    """Migrate the shared database once, then serve the demo from two gunicorns."""
    env = demo_environment(
        DJANGO_SETTINGS_MODULE='schema_demo.settings',
        DEMO_PG_NAME=shared_database,
        DEMO_DEBUG='0',
        DJWTO_MODE='JSON',
        DJWTO_SIGNING_KEY=secrets.token_urlsafe(48),
        DJWTO_LOGIN_FAILURES_PER_USERNAME=str(FAILURES_ALLOWED),
    )
    if redis_is_running():
        env['DEMO_REDIS_URL'] = REDIS_URL
    subprocess.run([sys.executable, '-c', SETUP], cwd=REPO, env=env, check=True, timeout=60)
    folder = tmp_path_factory.mktemp('gunicorn')
    started = []
    try:
        start_gunicorns(env, folder, started)
        yield started
    finally:
        for server in started:
            server.stop()


def test_revoke_through_one_server_is_refused_at_once_by_the_other(servers):
    a, b = servers
    tokens = a.graphql(LOGIN, {'u': 'alice', 'p': 'pass'})['data']['tokenAuth']
    refresh = tokens['refresh']
    refresh_access = 'mutation { refreshAccess { msg access } }'
    assert outcome(b.graphql(refresh_access, path=REFRESH_GRAPHQL, bearer=refresh)) == (
        'Access token successfully refreshed.'
    ), "server b verifies server a's tokens"

    assert outcome(a.graphql('mutation { revoke { msg } }', path=REFRESH_GRAPHQL, bearer=refresh)) == (
        'Token successfully blacklisted.'
    )

    assert (
        outcome(b.graphql(refresh_access, path=REFRESH_GRAPHQL, bearer=refresh))
        == "Can't update access token."
    )
    assert outcome(b.graphql('mutation { updateRefresh { msg } }', path=REFRESH_GRAPHQL, bearer=refresh)) == (
        "Can't update refresh token."
    )
    assert outcome(b.graphql('mutation { revoke { msg } }', path=REFRESH_GRAPHQL, bearer=refresh)) == (
        'Input jti token is already blacklisted.'
    )


def test_failed_logins_through_one_server_count_on_the_other(servers):
    if not redis_is_running():
        message = 'needs Redis at 127.0.0.1:6379 for a shared cache'
        if os.environ.get('GQL_DJWTO_REQUIRE_SERVICES') == '1':
            pytest.fail(message)
        pytest.skip(message)
    a, b = servers
    username = f'ghost-{uuid.uuid4().hex}'  # throttling counts usernames that do not exist, too
    for _ in range(FAILURES_ALLOWED):
        body = a.graphql(LOGIN, {'u': username, 'p': 'wrong'})
        assert body['errors'][0]['extensions']['status'] == 401
    body = b.graphql(LOGIN, {'u': username, 'p': 'wrong'})
    assert body['errors'][0]['extensions'] == {
        'code': 'TOO_MANY_REQUESTS',
        'status': 429,
        'reason': 'LOGIN_THROTTLED',
    }


@pytest.mark.parametrize('where', ['header', 'cookie'])
def test_a_one_megabyte_token_is_a_clean_4xx_from_gunicorn(servers, where):
    token = 'e' * (1024 * 1024)
    headers = {'Authorization': f'Bearer {token}'} if where == 'header' else {'Cookie': f'jwt_access={token}'}
    response = servers[0].post('mutation { verify { msg } }', **headers)
    assert response.status_code in (400, 431)  # 431: Request Header Fields Too Large
    assert 'Traceback' not in response.text
    assert servers[0].graphql('{ __typename }') == {'data': {'__typename': 'Query'}}, 'still serving'
