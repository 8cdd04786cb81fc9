"""The browser tests share one Chromium context per module: each test still finds it new.

The first test leaves everything a page can leave behind; the second finds
none of it. Run in file order, as pytest (and pytest-xdist's loadfile) runs them.
"""

from __future__ import annotations

import pytest

from .static_site import QuietHandler, StaticSite

pytestmark = [pytest.mark.browser]


SERVED: list[str] = []  # the paths the site has served, in order


class CachingHandler(QuietHandler):
    """Serves files a browser may keep for an hour, and notes each one it serves."""

    def end_headers(self) -> None:
        self.send_header('Cache-Control', 'max-age=3600')
        SERVED.append(self.path)
        super().end_headers()


@pytest.fixture(scope='module')
def origin(tmp_path_factory):
    """A page and its script served on a free loopback port."""
    folder = tmp_path_factory.mktemp('blank-site')
    (folder / 'index.html').write_text('<!doctype html><title>blank</title><script src="script.js"></script>')
    (folder / 'script.js').write_text('window.loaded = true;')
    site = StaticSite(folder, host='127.0.0.1', handler=CachingHandler)
    yield site.origin
    site.stop()


LEAVE_STATE = """async () => {
    localStorage.setItem('left', 'behind');
    document.cookie = 'left=behind; max-age=3600';
    await new Promise((resolve, reject) => {
        const open = indexedDB.open('left', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('things');
        open.onsuccess = () => { open.result.close(); resolve(); };
        open.onerror = () => reject(open.error);
    });
}"""
FIND_STATE = """async () => ({
    localStorage: localStorage.length,
    cookie: document.cookie,
    databases: (await indexedDB.databases()).map(database => database.name),
})"""


def test_a_test_leaves_pages_storage_cookies_and_routes_behind(context, origin):
    page = context.new_page()
    page.goto(f'{origin}/index.html')
    page.evaluate(LEAVE_STATE)
    context.add_cookies([{'name': 'elsewhere', 'value': 'left', 'url': 'http://localhost:9/'}])
    context.route('**/index.html', lambda route: route.fulfill(body='routed'))
    context.new_page()
    assert page.evaluate(FIND_STATE) == {'localStorage': 1, 'cookie': 'left=behind', 'databases': ['left']}


def test_the_next_test_finds_the_context_new(context, origin):
    assert context.pages == []
    page = context.new_page()
    SERVED.clear()
    response = page.goto(f'{origin}/index.html')
    assert response.status == 200 and page.title() == 'blank'  # not routed
    page.wait_for_function('window.loaded')
    assert '/script.js' in SERVED  # not from the HTTP cache
    assert page.evaluate(FIND_STATE) == {'localStorage': 0, 'cookie': '', 'databases': []}
    assert context.cookies() == []
