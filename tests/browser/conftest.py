"""Fixtures for the browser tests: Chromium, pages kept off the network, and one demo server per mode.

Without /usr/bin/chromium or the playwright package the browser tests skip,
or fail when GQL_DJWTO_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.requirements import skip_or_fail
from tests.test_demo_http import start_demo

from .cdn_assets import install_packages, route_cdn, verify_sri

CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]
MODES = ['JSON', 'ONE-COOKIE', 'TWO-COOKIES']
TIMEOUT_MS = 15_000  # for every Playwright wait


def missing_browser() -> str | None:
    """Say what the browser tests lack on this machine, or None."""
    if importlib.util.find_spec('playwright') is None:
        return 'the playwright package is not installed'
    if not CHROMIUM.is_file():
        return f'{CHROMIUM} is not installed'
    return None


@pytest.fixture(scope='session', autouse=True)
def require_browser() -> None:
    """Skip (or fail, when GQL_DJWTO_REQUIRE_BROWSER=1) before anything starts."""
    reason = missing_browser()
    if reason:
        skip_or_fail(f'browser tests need Chromium and Playwright: {reason}', 'GQL_DJWTO_REQUIRE_BROWSER')


@pytest.fixture(scope='module')
def browser():
    """Chromium, for one module: Playwright's sync API keeps an asyncio loop running in this thread
    while it is open, and Django then refuses database access to every test that runs after it in
    the same process (pytest-xdist hands a worker other modules after this one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture(scope='session')
def graphiql_cache() -> Path:
    """The npm packages GraphiQL loads from jsDelivr, checked against graphene-django's SRI hashes."""
    cache = install_packages()
    problems = verify_sri(cache)
    if problems:
        pytest.fail('GraphiQL files do not match their SRI hashes:\n' + '\n'.join(problems))
    return cache


@pytest.fixture(scope='module', params=MODES)
def mode(request) -> str:
    return request.param


@pytest.fixture(scope='module')
def demo(request, mode, tmp_path_factory):
    """The demo project served in ``mode`` on a free port."""
    folder = tmp_path_factory.mktemp(f'demo-{mode}')
    return start_demo(request, folder / 'demo.sqlite3', folder / 'demo.log', mode=mode)


@pytest.fixture(scope='module')
def module_context(browser):
    """One browser context for a module's tests, and the origins its pages have reached.

    A GraphiQL load in a new context cost Chromium 1.7-2.3 CPU-s here (a renderer process to
    start, GraphiQL's scripts to compile again), in this context emptied between tests
    (``context``) 1.3-1.5 CPU-s.
    """
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    origins: set[str] = set()
    context.on('request', lambda request: origins.add(origin_of(request.url)))
    yield context, origins
    context.close()


@pytest.fixture
def context(module_context):
    """The module's browser context, as new to each test: once the test is done, its pages are
    closed, its routes removed, and its cookies, permissions, HTTP cache and every origin's
    storage (localStorage, IndexedDB, ...) cleared."""
    context, origins = module_context
    yield context
    forget_everything(context, origins)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f'{parts.scheme}://{parts.netloc}'


def forget_everything(context, origins: set[str]) -> None:
    """Leave ``context`` with nothing a test did: no page, route, cookie, permission, cache or storage."""
    context.unroute_all(behavior='ignoreErrors')
    session = context.new_cdp_session(context.pages[0] if context.pages else context.new_page())
    for origin in sorted(origin for origin in origins if origin.startswith(('http://', 'https://'))):
        session.send('Storage.clearDataForOrigin', {'origin': origin, 'storageTypes': 'all'})
    session.send('Network.clearBrowserCache')
    session.detach()
    origins.clear()
    for page in context.pages:
        page.close()
    context.clear_cookies()
    context.clear_permissions()


@pytest.fixture
def outside_requests() -> list[str]:
    """The URLs that ``page`` tried to fetch from anywhere but 127.0.0.1 (each was aborted)."""
    return []


@pytest.fixture
def page(context, outside_requests):
    """A fresh browser page that may reach 127.0.0.1 only, as with no internet or a strict CSP."""
    page = context.new_page()

    def handle(route, request) -> None:
        if urlsplit(request.url).hostname == '127.0.0.1':
            route.continue_()
        else:
            outside_requests.append(request.url)
            route.abort('blockedbyclient')

    page.route('**/*', handle)
    return page


@pytest.fixture
def cdn_page(context, graphiql_cache):
    """A fresh browser page whose jsDelivr requests are answered from the npm cache (others aborted)."""
    route_cdn(context, graphiql_cache)
    return context.new_page()
