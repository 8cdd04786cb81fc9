"""Shared fixtures: a GraphQL client that behaves like a browser or a JSON app."""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.dispatch import Signal
from django.test import Client

from gql_djwto import signals
from gql_djwto.testing import GraphQLResult

from .processes import new_demo_database

# Fixtures every test module may ask for by name.
from .revocation_cache import broken_revocation_cache, revocation_cache  # noqa: F401

MODES = ['JSON', 'ONE-COOKIE', 'TWO-COOKIES']
COOKIE_MODES = ['ONE-COOKIE', 'TWO-COOKIES']
REFRESH_PATH = '/api/token/refresh'
GRAPHQL = '/graphql/'
REFRESH_GRAPHQL = REFRESH_PATH + '/graphql/'

LOGIN = """mutation Login($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}"""
REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'
UPDATE_REFRESH = 'mutation { updateRefresh { msg access refresh } }'
REVOKE = 'mutation { revoke { msg } }'
VERIFY = 'mutation { verify { msg claims } }'
VERIFY_REFRESH = 'mutation { verify(jwtType: REFRESH) { msg claims } }'
DELETE_COOKIES = 'mutation { deleteCookies { msg } }'
ME = '{ me }'

ACCESS_COOKIE = {'ONE-COOKIE': 'jwt_access', 'TWO-COOKIES': 'jwt_access_token'}
# Every cookie that carries a token, in either cookie mode.
TOKEN_COOKIES = {'jwt_refresh', 'jwt_access', 'jwt_access_token', 'jwt_access_payload'}

# tests/profiles/ runs once per project profile, each in its own pytest
# process with its own settings module (the Makefile's `test` target).
collect_ignore = ['profiles']


class Result(GraphQLResult):
    """One GraphQL response, with the assertions the tests share."""

    @property
    def status(self) -> int:
        return self.status_code

    @property
    def error(self) -> dict[str, Any]:
        assert len(self.errors) == 1, self.body
        return self.errors[0]

    def field(self, name: str) -> Any:
        assert not self.errors, self.body
        return self.data[name]

    def cookie(self, name: str) -> Any:
        return self.response.cookies.get(name)


@pytest.hookimpl(trylast=True)  # after pytest-django, which orders the database tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that start servers or a browser first, the rest in the order they had.

    They are the slow ones: started first, the workers of `make test` (pytest-xdist, a file each)
    share them out and end together, instead of one worker running the last slow file alone.
    They use no test database, so pytest-django's order of the others is kept.
    """
    items.sort(key=lambda item: item.get_closest_marker('server') is None)


@dataclass
class Api:
    """Talks to the GraphQL endpoint as the mode's client would.

    JSON mode sends a bearer header (the refresh token for refresh-type
    operations, else the access token); cookie modes send the cookies the
    way a browser does, the refresh cookie only under its path, and the
    CSRF header from the csrftoken cookie.
    """

    client: Client
    mode: str
    access: str | None = None
    refresh: str | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)

    def post(
        self,
        query: str,
        variables: dict | None = None,
        *,
        path: str = GRAPHQL,
        bearer: str | None = None,
        csrf: bool = True,
        **extra: Any,
    ) -> Result:
        headers: dict[str, str] = {}
        if bearer:
            headers['HTTP_AUTHORIZATION'] = f'Bearer {bearer}'
        if csrf and 'csrftoken' in self.client.cookies:
            headers['HTTP_X_CSRFTOKEN'] = self.client.cookies['csrftoken'].value
        headers.update(extra)
        refresh_cookie = None
        if not path.startswith(REFRESH_PATH + '/'):
            refresh_cookie = self.client.cookies.pop('jwt_refresh', None)
        try:
            response = self.client.post(
                path,
                json.dumps({'query': query, 'variables': variables or {}}),
                content_type='application/json',
                **headers,
            )
        finally:
            if refresh_cookie is not None and 'jwt_refresh' not in self.client.cookies:
                self.client.cookies['jwt_refresh'] = refresh_cookie
        return Result(response, json.loads(response.content or b'{}'))

    def load_page(self) -> None:
        """Open GraphiQL once, as a browser does, which sets the csrftoken cookie."""
        response = self.client.get(GRAPHQL, HTTP_ACCEPT='text/html')
        assert response.status_code == 200

    def login(self, username: str = 'alice', password: str = 'pass', **kwargs: Any) -> Result:
        result = self.post(LOGIN, {'username': username, 'password': password}, **kwargs)
        answer = (result.data or {}).get('tokenAuth') or {}
        if answer.get('access'):
            self.access, self.refresh = answer['access'], answer['refresh']
        return result

    def with_access(self, query: str, **kwargs: Any) -> Result:
        """Send an operation that reads the access token."""
        kwargs.setdefault('bearer', self.access if self.mode == 'JSON' else None)
        return self.post(query, **kwargs)

    def with_refresh(self, query: str, **kwargs: Any) -> Result:
        """Send an operation that reads the refresh token, at the refresh path."""
        kwargs.setdefault('path', REFRESH_GRAPHQL)
        kwargs.setdefault('bearer', self.refresh if self.mode == 'JSON' else None)
        return self.post(query, **kwargs)

    def token(self, kind: str) -> str:
        """Return the current access or refresh token, wherever the mode keeps it."""
        if self.mode == 'JSON':
            return self.access if kind == 'access' else self.refresh
        name = 'jwt_refresh' if kind == 'refresh' else ACCESS_COOKIE[self.mode]
        return self.client.cookies[name].value

    def set_token(self, kind: str, token: str) -> None:
        """Put a token where the mode's client would send it."""
        if self.mode == 'JSON':
            setattr(self, kind, token)
        else:
            name = 'jwt_refresh' if kind == 'refresh' else ACCESS_COOKIE[self.mode]
            self.client.cookies[name] = token


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with no login failures counted and no token remembered as verified."""
    from django.core.cache import cache

    from gql_djwto.tokens import verified_tokens

    cache.clear()
    verified_tokens.clear()
    yield
    cache.clear()
    verified_tokens.clear()


GQL_DJWTO_SIGNALS = {name: value for name, value in vars(signals).items() if isinstance(value, Signal)}


@pytest.fixture(autouse=True)
def no_receiver_left_connected():
    """A test that connects a receiver to one of our signals disconnects it before the next test."""
    before = {name: len(signal.receivers) for name, signal in GQL_DJWTO_SIGNALS.items()}
    yield
    left = {
        name: len(signal.receivers) - before[name]
        for name, signal in GQL_DJWTO_SIGNALS.items()
        if len(signal.receivers) > before[name]
    }
    assert not left, f'receivers left connected: {left}'


class Clock:
    """The wall clock stopped by time-machine (``time.time``, ``datetime.now``; not the monotonic
    clocks, so pytest's timings stay true)."""

    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller  # time-machine 2's Coordinates or 3's Traveller

    def tick(self, seconds: float | datetime.timedelta) -> None:
        """Move the clock forward by ``seconds``."""
        self._traveller.shift(seconds)

    def time(self) -> float:
        """The stopped time, as ``time.time()`` reads it."""
        return self._traveller.time_ns() / 1e9


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Stop the clock at now; ``clock.tick(seconds)`` moves it forward."""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture(scope='session')
def demo_database_template(tmp_path_factory) -> Path:
    """A demo database as the demo's first start leaves it, made once per test process."""
    return new_demo_database(tmp_path_factory.mktemp('demo-template') / 'demo.sqlite3')


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user('alice', email='alice@example.com', password='pass')


@pytest.fixture
def bob(db) -> User:
    user = User.objects.create_user('bob', email='bob@example.com', password='pass')
    user.user_permissions.add(Permission.objects.get(codename='view_user'))
    return user


@pytest.fixture(params=MODES)
def mode(request, settings) -> str:
    settings.DJWTO_MODE = request.param
    return request.param


@pytest.fixture(params=COOKIE_MODES)
def cookie_mode(request, settings) -> str:
    settings.DJWTO_MODE = request.param
    return request.param


def browser_like(mode: str) -> Api:
    api = Api(Client(enforce_csrf_checks=True), mode)
    api.load_page()
    return api


@pytest.fixture
def api(mode, alice) -> Api:
    return browser_like(mode)


@pytest.fixture
def cookie_api(cookie_mode, alice) -> Api:
    return browser_like(cookie_mode)


@pytest.fixture
def session_browser(mode, alice) -> Api:
    """A browser whose Django session has logged alice in (e.g. through the admin), no token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    api = Api(client, mode)
    api.load_page()  # the csrftoken cookie
    return api


@pytest.fixture
def logged_in(api) -> Api:
    """A client that has logged in; a test comparing times asks for ``clock`` first,
    so that the login happens at the frozen time."""
    assert api.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'
    return api


SIGNALS = {
    'jwt_logged_in': 'GetTokensView',
    'jwt_login_fail': 'GetTokensView',
    'jwt_blacklisted': 'BlackListTokenView',
    'jwt_token_validated': 'ValidateTokensView',
    'jwt_access_refreshed': 'RefreshAccessView',
    'jwt_refresh_updated': 'UpdateRefreshView',
}


class SignalRecorder:
    """Records every send of djwto's six signals, connected the way djwto users do."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict[str, Any]]] = []
        self._receivers = []
        for name, sender in SIGNALS.items():

            def receiver(sender, _name=name, **kwargs):
                self.events.append((_name, sender, kwargs))

            self._receivers.append(receiver)
            # A literal sender, as in djwto's documentation.
            getattr(signals, name).connect(receiver, sender=sender, weak=False)

    def disconnect(self) -> None:
        for (name, sender), receiver in zip(SIGNALS.items(), self._receivers, strict=True):
            getattr(signals, name).disconnect(receiver, sender=sender)

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
def recorder():
    recording = SignalRecorder()
    yield recording
    recording.disconnect()


@pytest.fixture(scope='session')
def distributions(tmp_path_factory):
    """The sdist and wheel built from this tree, once per run (tests/distributions.py)."""
    from .distributions import build

    return build(tmp_path_factory.mktemp('distributions'))
