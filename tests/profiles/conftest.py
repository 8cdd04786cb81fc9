"""A browser-like client over real HTTP against the profile's live server.

Each profile runs as its own pytest process (see the Makefile's `test`):
``pytest tests/profiles --ds tests.profiles.settings_<profile>``.
requests' cookie jar keeps cookies as a browser does (Path, Domain,
Max-Age, deletion), so the refresh cookie only travels under its path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from pytest_django.live_server_helper import LiveServer

from schema_demo.server import NoDelayThreadedWSGIServer

MODES = ['JSON', 'ONE-COOKIE', 'TWO-COOKIES']
GRAPHQL = '/graphql/'
REFRESH_GRAPHQL = '/api/token/refresh/graphql/'
PLAIN_GRAPHQL = '/plain/graphql/'
PASSWORD = 'a-long-enough-password'
TIMEOUT = 30

LOGIN = """mutation Login($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}"""


class MountedAt:
    """What a front server does for a project mounted under a prefix.

    It strips the prefix from PATH_INFO into SCRIPT_NAME (as gunicorn with
    SCRIPT_NAME, or a proxy with FORCE_SCRIPT_NAME, does) and answers 404 for
    any other path.
    """

    def __init__(self, prefix: str, app: Any) -> None:
        self.prefix, self.app = prefix, app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        path = environ.get('PATH_INFO', '')
        if path != self.prefix and not path.startswith(self.prefix + '/'):
            start_response('404 Not Found', [('Content-Type', 'text/plain')])
            return [b'Not under the script prefix.']
        environ['SCRIPT_NAME'] = self.prefix
        environ['PATH_INFO'] = path[len(self.prefix) :] or '/'
        return self.app(environ, start_response)


def script_prefix() -> str:
    return (settings.FORCE_SCRIPT_NAME or '').rstrip('/')


@pytest.fixture(scope='session')
def django_db_modify_db_settings() -> None:
    """A test database of this profile's own on a server: `make test` runs the profiles side by side."""
    profile = settings.SETTINGS_MODULE.rpartition('settings_')[2]
    for database in settings.DATABASES.values():
        if database['ENGINE'] != 'django.db.backends.sqlite3':  # SQLite's is in memory, one per process
            test = database.setdefault('TEST', {})
            test['NAME'] = f'{test.get("NAME") or "test_" + database["NAME"]}_{profile}'


@pytest.fixture(scope='session')
def live_server(request):
    """pytest-django's live server, mounted under the profile's script prefix if it has one."""
    server = LiveServer('localhost', start=False)
    server.thread.server_class = NoDelayThreadedWSGIServer  # no 40 ms pause per kept-alive request
    prefix = script_prefix()
    if prefix:
        serve_static = server.thread.static_handler
        server.thread.static_handler = lambda app: MountedAt(prefix, serve_static(app))
    server.start()
    yield server
    # Only the server thread stops. pytest-django's stop() also ends the sharing
    # of an in-memory SQLite connection, and a request thread still waiting on a
    # kept-alive connection then fails when it closes its database connection.
    # The process ends with the session.
    server.thread.terminate()


@dataclass
class Answer:
    """One HTTP answer of a GraphQL view."""

    response: requests.Response

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def body(self) -> dict[str, Any]:
        try:
            return self.response.json()
        except ValueError:
            return {'text': self.response.text[:2000]}

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get('errors') or []

    def field(self, name: str) -> Any:
        assert self.status == 200 and not self.errors, (self.status, self.body)
        return self.body['data'][name]

    def error_message(self) -> str:
        assert len(self.errors) == 1, (self.status, self.body)
        return self.errors[0]['message']


@dataclass
class Browser:
    """Talks to the live server as the mode's client does.

    JSON mode sends a bearer header (the refresh token to the refresh-type
    operations, else the access token); cookie modes send the cookies the
    jar holds for the URL, and ``X-CSRFToken`` from the csrftoken cookie.
    """

    base: str
    mode: str
    session: requests.Session = field(default_factory=requests.Session)
    access: str | None = None
    refresh: str | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def post(
        self,
        query: str,
        variables: dict | None = None,
        *,
        path: str = GRAPHQL,
        bearer: str | None = None,
        csrf: bool | str = True,
    ) -> Answer:
        """POST a GraphQL document; ``csrf`` False sends no X-CSRFToken, a string sends that one."""
        headers = {'Accept': 'application/json'}
        if bearer:
            headers['Authorization'] = f'Bearer {bearer}'
        token = csrf if isinstance(csrf, str) else self.session.cookies.get('csrftoken')
        if csrf and token:
            headers['X-CSRFToken'] = token
        response = self.session.post(
            self.url(path),
            json={'query': query, 'variables': variables or {}},
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        return Answer(response)

    def login(self, username: str, password: str = PASSWORD) -> Answer:
        answer = self.post(LOGIN, {'username': username, 'password': password})
        tokens = (answer.body.get('data') or {}).get('tokenAuth') or {}
        if tokens.get('access'):
            self.access, self.refresh = tokens['access'], tokens['refresh']
        return answer

    def with_access(self, query: str, **kwargs: Any) -> Answer:
        kwargs.setdefault('bearer', self.access if self.mode == 'JSON' else None)
        return self.post(query, **kwargs)

    def with_refresh(self, query: str, **kwargs: Any) -> Answer:
        kwargs.setdefault('path', REFRESH_GRAPHQL)
        kwargs.setdefault('bearer', self.refresh if self.mode == 'JSON' else None)
        return self.post(query, **kwargs)

    def keep_tokens(self, answer: Answer, name: str) -> None:
        """Keep the tokens a refresh-type operation answered (JSON mode)."""
        tokens = answer.field(name)
        if self.mode == 'JSON':
            self.access, self.refresh = tokens['access'], tokens['refresh']

    def admin_login(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the admin's login form, which starts a Django session."""
        page = self.session.get(self.url('/admin/login/'), timeout=TIMEOUT)
        assert page.status_code == 200, page.text[:500]
        response = self.session.post(
            self.url('/admin/login/'),
            data={
                'csrfmiddlewaretoken': self.session.cookies['csrftoken'],
                'username': username,
                'password': password,
                'next': script_prefix() + '/admin/',
            },
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]
        assert 'sessionid' in self.session.cookies


@pytest.fixture(params=MODES)
def mode(request, settings) -> str:
    settings.DJWTO_MODE = request.param
    return request.param


@pytest.fixture
def user(transactional_db):
    """A staff user (so the admin lets them log in), named by the model's USERNAME_FIELD."""
    User = get_user_model()
    name = 'alice@example.com' if User.USERNAME_FIELD == 'email' else 'alice'
    return User._default_manager.create_user(
        **{User.USERNAME_FIELD: name},
        password=PASSWORD,
        is_staff=True,
    )


@pytest.fixture
def new_browser(live_server):
    """Make browsers for the live server; their connections close when the test ends.

    A kept-alive connection left open would keep a server thread holding the
    shared test database connection after the server stops.
    """
    made: list[Browser] = []

    def make(mode: str) -> Browser:
        made.append(Browser(live_server.url + script_prefix(), mode))
        return made[-1]

    yield make
    for browser in made:
        browser.session.close()


@pytest.fixture
def browser(new_browser, mode, user) -> Browser:
    return new_browser(mode)
