"""The demo project as a new user runs it: ``python -m schema_demo``, over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from .processes import QUICK_PASSWORDS, ServerProcess, demo_environment, free_port, prepared_demo_database

pytestmark = pytest.mark.server

HTTP_TIMEOUT = 10
GRAPHQL = '/graphql/'
REFRESH_GRAPHQL = '/api/token/refresh/graphql/'
SENDERS = [
    'GetTokensView',
    'ValidateTokensView',
    'RefreshAccessView',
    'UpdateRefreshView',
    'BlackListTokenView',
]
BAD_LOGIN = 'Please enter a correct username and password.'


class Demo(ServerProcess):
    """One ``python -m schema_demo`` process, with its output in a file."""

    def graphql(self, query: str, *, path: str = GRAPHQL, bearer: str | None = None) -> dict[str, Any]:
        """POST one operation as a JSON app does and return the decoded body."""
        headers = {'Authorization': f'Bearer {bearer}'} if bearer else {}
        response = requests.post(
            self.url + path, json={'query': query}, headers=headers, timeout=HTTP_TIMEOUT
        )
        assert response.status_code == 200, response.text
        return response.json()


def start_demo(
    request: pytest.FixtureRequest,
    database: Path,
    log: Path,
    mode: str = 'JSON',
    *,
    new_user: bool = False,
    **environment: str,
) -> Demo:
    """Start the demo on a free port; ``request`` stops it after use.

    The child gets none of the test run's DJWTO_* variables nor its
    DJANGO_SETTINGS_MODULE, so it reads the demo's own settings and
    generates its own signing key; ``environment`` adds variables. With
    ``new_user``, the demo runs as a new user runs it, on a new (or its own)
    ``database`` with Django's hashers; otherwise on a prepared database with
    the quick hasher (tests/processes.py, QUICK_PASSWORDS).
    """
    if not new_user:
        prepared_demo_database(request, database)
        environment = {**QUICK_PASSWORDS, **environment}
    port = free_port()
    demo = Demo.start(
        ['-m', 'schema_demo', '--port', str(port)],
        demo_environment(DEMO_DATABASE=str(database), DJWTO_MODE=mode, **environment),
        log,
        port,
    )
    request.addfinalizer(demo.stop)
    return demo


def outcome(body: dict[str, Any], name: str) -> Any:
    """What a person reads in the answer: the error's message, else the field's msg (or the field)."""
    if body.get('errors'):
        return body['errors'][0]['message']
    answer = body['data'][name]
    return answer.get('msg', answer)


@dataclass
class Session:
    """One JSON-mode client of the demo, remembering what it read and every token it got."""

    demo: Demo
    outcomes: list[Any] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)

    def run(self, name: str, query: str, **kwargs: Any) -> dict[str, Any]:
        body = self.demo.graphql(query, **kwargs)
        self.outcomes.append(outcome(body, name))
        answer = (body.get('data') or {}).get(name) or {}
        self.tokens.update(answer[kind] for kind in ('access', 'refresh') if answer.get(kind))
        return answer


@pytest.fixture(scope='module')
def demo(request, tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp('demo')
    return start_demo(request, folder / 'demo.sqlite3', folder / 'demo.log', new_user=True)


@pytest.fixture(scope='module')
def session(demo) -> Session:
    """Log in, use, refresh, update and revoke, refresh again; then fail a login."""
    session = Session(demo)
    tokens = session.run(
        'tokenAuth', 'mutation { tokenAuth(username: "alice", password: "pass") { msg access refresh } }'
    )
    access, refresh = tokens['access'], tokens['refresh']
    session.run('me', '{ me { username } }', bearer=access)
    session.run('verify', 'mutation { verify { msg } }', bearer=access)
    session.run(
        'refreshAccess',
        'mutation { refreshAccess { msg access refresh } }',
        path=REFRESH_GRAPHQL,
        bearer=refresh,
    )
    updated = session.run(
        'updateRefresh',
        'mutation { updateRefresh { msg access refresh } }',
        path=REFRESH_GRAPHQL,
        bearer=refresh,
    )
    refresh = updated.get('refresh') or refresh
    session.run('revoke', 'mutation { revoke { msg } }', path=REFRESH_GRAPHQL, bearer=refresh)
    session.run(
        'refreshAccess',
        'mutation { refreshAccess { msg access refresh } }',
        path=REFRESH_GRAPHQL,
        bearer=refresh,
    )
    session.run('tokenAuth', 'mutation { tokenAuth(username: "alice", password: "wrong") { msg } }')
    return session


def test_json_session_from_login_to_revoke(session):
    assert session.outcomes[:7] == [
        'Tokens successfully created.',
        {'username': 'alice'},
        'Token is valid',
        'Access token successfully refreshed.',
        'Refresh token successfully updated.',
        'Token successfully blacklisted.',
        "Can't update access token.",
    ]
    assert BAD_LOGIN in session.outcomes[7]


def test_demo_logs_each_signal_with_djwto_sender(demo, session):
    lines = demo.output().splitlines()
    for sender in SENDERS:
        assert f'schema_demo: sender: {sender}' in lines, f'no {sender} signal in:\n{demo.output()}'
    login_fail = [line for line in lines if line.startswith('schema_demo: kwargs: ') and BAD_LOGIN in line]
    assert len(login_fail) == 1, 'the jwt_login_fail handler logs the form error once'


def test_demo_says_it_generated_a_key_and_turned_secure_cookies_off(demo):
    output = demo.output()
    assert 'generated a signing key' in output
    assert 'DJWTO_COOKIE_SECURE is off' in output


def test_demo_output_shows_no_token(demo, session):
    assert len(session.tokens) >= 2, 'an access and a refresh token at least'
    output = demo.output()
    leaked = [token for token in session.tokens if token in output]
    assert not leaked, 'tokens appear in the demo output'


def test_second_start_on_same_database_keeps_one_of_each_user(request, tmp_path):
    database = tmp_path / 'demo.sqlite3'
    first = start_demo(request, database, tmp_path / 'first.log', new_user=True)
    first.stop()
    second = start_demo(request, database, tmp_path / 'second.log', new_user=True)

    login = second.graphql('mutation { tokenAuth(username: "bob", password: "pass") { access } }')['data'][
        'tokenAuth'
    ]
    count = second.graphql('{ userCount }', bearer=login['access'])
    assert count == {'data': {'userCount': 2}}, second.output()
    assert 'Demo users: alice / pass' in second.output()


def test_demo_resolvers_see_the_tokens_user_in_request_user(demo):
    """The demo sets DJWTO_REQUEST_USER = 'token': its whoami field reads info.context.user."""
    whoami = '{ whoami { username isAuthenticated canViewUsers } }'
    for username, can_view_users in (('alice', False), ('bob', True)):
        login = demo.graphql(
            f'mutation {{ tokenAuth(username: "{username}", password: "pass") {{ access }} }}'
        )
        access = login['data']['tokenAuth']['access']
        assert demo.graphql(whoami, bearer=access)['data']['whoami'] == {
            'username': username,
            'isAuthenticated': True,
            'canViewUsers': can_view_users,
        }
    assert demo.graphql(whoami)['data']['whoami'] == {
        'username': '',
        'isAuthenticated': False,
        'canViewUsers': False,
    }


def test_demo_refusals_carry_their_reason(demo):
    expired_or_forged = demo.graphql('{ me { username } }', bearer='not.a.token')
    [error] = expired_or_forged['errors']
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'TOKEN_MALFORMED'}
    missing = demo.graphql('{ me { username } }')
    assert missing['errors'][0]['extensions']['reason'] == 'TOKEN_MISSING'
