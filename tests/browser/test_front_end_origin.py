"""A front end on another origin of the same site, in headless Chromium, in both cookie modes.

The demo (the API) listens on ``localhost:<p1>`` with DEMO_CORS_ORIGINS naming
``http://localhost:<p2>``, where a static server serves tests/browser/spa/
(the README's example). Cookies do not tell ports apart, so the two origins
are one site: the API's SameSite=Lax cookies go with ``credentials:
'include'``. A third origin, ``localhost:<p3>``, is left out of the list. A
fourth, ``127.0.0.1:<p4>``, is listed but is another site: cookies fail
there, and JSON mode's bearer header works.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.test_demo_http import start_demo

from .static_site import StaticSite

pytestmark = [pytest.mark.browser, pytest.mark.server]

SPA = Path(__file__).resolve().parent / 'spa'
ACCESS_COOKIE = {'ONE-COOKIE': 'jwt_access', 'TWO-COOKIES': 'jwt_access_token'}
ME = '{ me { username } }'
# bob's access claims are 197 bytes of JSON, so their base64 ends in "=" and
# Django quotes the jwt_access_payload cookie (alice's are 183: no padding).
USER = 'bob'


@dataclass
class Sites:
    trusted: StaticSite  # same site as the API, listed in DEMO_CORS_ORIGINS
    unlisted: StaticSite  # same site, not listed
    cross_site: StaticSite  # another site (127.0.0.1), listed

    @property
    def cors_origins(self) -> str:
        return f'{self.trusted.origin},{self.cross_site.origin}'


@pytest.fixture(scope='module')
def sites():
    sites = Sites(StaticSite(SPA), StaticSite(SPA), StaticSite(SPA, host='127.0.0.1'))
    yield sites
    for site in (sites.trusted, sites.unlisted, sites.cross_site):
        site.stop()


@pytest.fixture(scope='module', params=['ONE-COOKIE', 'TWO-COOKIES'])
def cookie_mode(request) -> str:
    return request.param


def start_api(request: pytest.FixtureRequest, mode: str, sites: Sites, folder: Path) -> str:
    """Start the demo in ``mode`` trusting the listed sites; return its origin on localhost."""
    demo = start_demo(
        request, folder / 'demo.sqlite3', folder / 'demo.log', mode=mode, DEMO_CORS_ORIGINS=sites.cors_origins
    )
    return f'http://localhost:{demo.port}'


@pytest.fixture(scope='module')
def api(request, cookie_mode, sites, tmp_path_factory) -> str:
    return start_api(request, cookie_mode, sites, tmp_path_factory.mktemp(f'spa-{cookie_mode}'))


@pytest.fixture(scope='module')
def json_api(request, sites, tmp_path_factory) -> str:
    return start_api(request, 'JSON', sites, tmp_path_factory.mktemp('spa-JSON'))


class Spa:
    """The page of tests/browser/spa/ opened at one origin, calling its client.js."""

    def __init__(self, page: Any, origin: str, api: str) -> None:
        self.page = page
        page.goto(f'{origin}/index.html?api={api}')
        page.wait_for_function('() => window.gqlDjwto !== undefined')

    def call(self, name: str, *args: Any) -> Any:
        """Run ``client.<name>(*args)``; a thrown error comes back as ``{'thrown': message}``."""
        return self.page.evaluate(
            """async ([name, args]) => {
            try {
                return await window.gqlDjwto[name](...args);
            } catch (error) {
                return {thrown: `${error.name}: ${error.message}`};
            }
        }""",
            [name, list(args)],
        )

    def document_cookies(self) -> set[str]:
        """Names of the cookies this page's script sees (document.cookie)."""
        text = self.page.evaluate('document.cookie')
        return {pair.split('=', 1)[0] for pair in text.split('; ')} if text else set()

    def stored_cookies(self) -> dict[str, dict[str, Any]]:
        """Every cookie the browser holds, by name, with its attributes."""
        return {cookie['name']: cookie for cookie in self.page.context.cookies()}


def answer(result: dict[str, Any], field: str) -> Any:
    """The field's value, or the error's message, of a {status, body} from client.js."""
    assert result['status'] == 200, result
    body = result['body']
    if body.get('errors'):
        return body['errors'][0]['message']
    value = body['data'][field]
    return value.get('msg', value) if isinstance(value, dict) else value


def test_front_end_logs_in_uses_refreshes_revokes_and_logs_out(context, sites, api, cookie_mode):
    spa = Spa(context.new_page(), sites.trusted.origin, api)
    access_cookie = ACCESS_COOKIE[cookie_mode]

    assert answer(spa.call('login', USER, 'pass'), 'tokenAuth') == 'Tokens successfully created.'
    stored = spa.stored_cookies()
    assert {'csrftoken', 'jwt_refresh', access_cookie} <= set(stored)
    assert stored['jwt_refresh']['path'] == '/api/token/refresh'
    assert stored[access_cookie]['httpOnly'] and stored['jwt_refresh']['httpOnly']
    assert all(stored[name]['sameSite'] == 'Lax' for name in ('jwt_refresh', access_cookie))
    # The page's script sees the API's readable cookies (one host, another port), never the tokens.
    seen = spa.document_cookies()
    assert 'csrftoken' in seen and not {'jwt_refresh', access_cookie} & seen

    without_csrf = spa.call('post', f'{api}/graphql/', ME, {}, {'csrf': False})
    assert without_csrf['status'] == 403
    assert without_csrf['body']['errors'][0]['message'] == 'CSRF Failed: CSRF token missing.'
    assert answer(spa.call('query', ME), 'me') == {'username': USER}

    if cookie_mode == 'TWO-COOKIES':
        raw = stored['jwt_access_payload']['value']
        assert raw.startswith('"') and raw.endswith('="'), f'{USER} payload is not quoted: {raw}'
        assert 'jwt_access_payload' in seen
        verified = spa.call('query', 'mutation { verify { claims } }')['body']['data']['verify']['claims']
        assert verified['user']['username'] == USER
        assert spa.call('accessPayload') == verified

    refreshed = spa.call('refreshQuery', 'mutation { refreshAccess { msg } }')
    assert answer(refreshed, 'refreshAccess') == 'Access token successfully refreshed.'
    assert answer(spa.call('query', ME), 'me') == {'username': USER}

    revoked = spa.call('refreshQuery', 'mutation { revoke { msg } }')
    assert answer(revoked, 'revoke') == 'Token successfully blacklisted.'
    refused = spa.call('refreshQuery', 'mutation { refreshAccess { msg } }')
    assert answer(refused, 'refreshAccess') == "Can't update access token."

    deleted = spa.call('query', 'mutation { deleteCookies { msg } }')
    assert answer(deleted, 'deleteCookies') == 'Tokens successfully deleted.'
    assert answer(spa.call('query', ME), 'me') == f'Cookie "{access_cookie}" cannot be empty.'
    assert not {'jwt_refresh', access_cookie, 'jwt_access_payload'} & set(spa.stored_cookies())
    assert spa.call('accessPayload') is None


# What a hostile page on the unlisted origin can do without CORS: a "simple" form POST
# (no preflight) with the cookies, whose answer it cannot read.
FORM_POST = """async ([url, fields]) => {
    await fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include',
                      body: new URLSearchParams(fields)});
}"""


def test_front_end_on_an_origin_not_listed_reads_no_answer(context, sites, api):
    spa = Spa(context.new_page(), sites.unlisted.origin, api)
    assert spa.call('currentCsrfToken') == {'thrown': 'TypeError: Failed to fetch'}
    assert spa.call('login', USER, 'pass') == {'thrown': 'TypeError: Failed to fetch'}
    # The JSON login needs a preflight, which the API refused: it never ran.
    assert not any(name.startswith('jwt_') for name in spa.stored_cookies())


def test_origin_not_listed_cannot_forge_a_revoke_even_holding_the_csrf_token(context, sites, api):
    trusted = Spa(context.new_page(), sites.trusted.origin, api)
    assert answer(trusted.call('login', USER, 'pass'), 'tokenAuth') == 'Tokens successfully created.'
    other = Spa(context.new_page(), sites.unlisted.origin, api)
    # One host, so the unlisted page reads the API's csrftoken cookie; Django's
    # Origin check (CSRF_TRUSTED_ORIGINS) still refuses what it sends.
    token = other.call('cookie', 'csrftoken')
    assert token
    other.page.evaluate(
        FORM_POST,
        [
            f'{api}/api/token/refresh/graphql/',
            {
                'query': 'mutation { revoke { msg } }',
                'csrfmiddlewaretoken': token,
            },
        ],
    )
    refreshed = trusted.call('refreshQuery', 'mutation { refreshAccess { msg } }')
    assert answer(refreshed, 'refreshAccess') == 'Access token successfully refreshed.'


def test_cookie_modes_fail_across_sites_even_with_cors(context, sites, api, cookie_mode):
    spa = Spa(context.new_page(), sites.cross_site.origin, api)
    # CORS lets the page read the answers...
    assert answer(spa.call('login', USER, 'pass'), 'tokenAuth') == 'Tokens successfully created.'
    # ...but the browser keeps no SameSite=Lax cookie from a cross-site answer.
    assert not spa.stored_cookies()
    refused = spa.call('query', ME)
    assert refused['status'] == 403
    assert refused['body']['errors'][0]['message'] == 'CSRF Failed: CSRF cookie not set.'


def test_json_mode_works_across_sites_with_the_bearer_header(context, sites, json_api):
    spa = Spa(context.new_page(), sites.cross_site.origin, json_api)
    tokens = spa.call('login', USER, 'pass')['body']['data']['tokenAuth']
    assert tokens['msg'] == 'Tokens successfully created.'
    access, refresh = tokens['access'], tokens['refresh']
    assert answer(spa.call('post', f'{json_api}/graphql/', ME, {}, {'bearer': access}), 'me') == {
        'username': USER
    }
    refresh_url = f'{json_api}/api/token/refresh/graphql/'
    refreshed = spa.call(
        'post', refresh_url, 'mutation { refreshAccess { msg access } }', {}, {'bearer': refresh}
    )
    assert answer(refreshed, 'refreshAccess') == 'Access token successfully refreshed.'
    new_access = refreshed['body']['data']['refreshAccess']['access']
    assert answer(spa.call('post', f'{json_api}/graphql/', ME, {}, {'bearer': new_access}), 'me') == {
        'username': USER
    }
    revoked = spa.call('post', refresh_url, 'mutation { revoke { msg } }', {}, {'bearer': refresh})
    assert answer(revoked, 'revoke') == 'Token successfully blacklisted.'
    refused = spa.call('post', refresh_url, 'mutation { refreshAccess { msg } }', {}, {'bearer': refresh})
    assert answer(refused, 'refreshAccess') == "Can't update access token."
    assert not spa.stored_cookies()
