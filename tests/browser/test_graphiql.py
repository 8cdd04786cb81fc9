"""GraphiQL in headless Chromium, in every mode: log in, use the token, refresh, update, revoke.

In cookie modes this proves the page sends the CSRF token that login
rotated, with no reload (gql_djwto/templates/gql_djwto/csrf_fetch.html).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(__file__).resolve().parents[2] / 'test-output' / 'browser'
LOGIN = 'mutation { tokenAuth(username: "alice", password: "pass") { msg access refresh } }'

QUERY_EDITOR = '.graphiql-query-editor .CodeMirror'
RUN_BUTTON = '.graphiql-execute-button'
RESULT = '.result-window .CodeMirror'
HEADERS_TAB = ".graphiql-editor-tools button:text-is('Headers')"
HEADERS_EDITOR = "section.graphiql-editor-tool[aria-label='Headers'] .CodeMirror >> visible=true"

SET_VALUE = '(el, text) => el.CodeMirror.setValue(text)'
# GraphiQL writes the query into the URL hash once its own state has it.
QUERY_IN_HASH = 'q => decodeURIComponent(location.hash).includes("query=" + q)'
# True once the result pane shows the same JSON as the answer just received.
RESULT_SHOWS = """([selector, answer]) => {
  const el = document.querySelector(selector);
  try {
    return JSON.stringify(JSON.parse(el.CodeMirror.getValue())) === JSON.stringify(JSON.parse(answer));
  } catch (error) {
    return false;
  }
}"""


class GraphiQL:
    """graphene-django's GraphiQL page, driven through its editors and run button."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator(QUERY_EDITOR).wait_for()

    def set_headers(self, headers: dict[str, str]) -> None:
        self.page.locator(HEADERS_TAB).click()
        self.page.locator(HEADERS_EDITOR).evaluate(SET_VALUE, json.dumps(headers))

    def type_query(self, query: str) -> None:
        """Type ``query`` into the emptied editor key by key, as a person does."""
        self.page.locator(QUERY_EDITOR).click()
        self.page.keyboard.press('Control+A')
        self.page.keyboard.press('Backspace')
        self.page.keyboard.type(query)
        assert self.page.locator(QUERY_EDITOR).evaluate('el => el.CodeMirror.getValue()') == query

    def run(self, query: str, *, typed: bool = False) -> dict[str, Any]:
        """Run the query (typed, or set in the editor) and return what the result pane shows for this very run."""
        if typed:
            self.type_query(query)
        else:
            self.page.locator(QUERY_EDITOR).evaluate(SET_VALUE, query)
        self.page.wait_for_function(QUERY_IN_HASH, arg=query)

        def is_this_run(response) -> bool:
            request = response.request
            return (
                request.method == 'POST'
                and '/graphql/' in response.url
                and (request.post_data_json or {}).get('query') == query
            )

        with self.page.expect_response(is_this_run) as answer:
            self.page.locator(RUN_BUTTON).click()
        response = answer.value
        assert response.status == 200, f'{query}: HTTP {response.status} {response.text()}'
        self.page.wait_for_function(RESULT_SHOWS, arg=[RESULT, response.text()])
        return json.loads(self.page.locator(RESULT).evaluate('el => el.CodeMirror.getValue()'))


def msg(mutation: str, text: str) -> dict[str, Any]:
    return {'data': {mutation: {'msg': text}}}


def test_graphiql_logs_in_uses_refreshes_updates_and_revokes(page, demo, mode):
    graphiql = GraphiQL(page)
    graphiql.open(f'{demo.url}/graphql/')
    login = graphiql.run(LOGIN)['data']['tokenAuth']
    assert login['msg'] == 'Tokens successfully created.'
    if mode == 'JSON':
        graphiql.set_headers({'Authorization': f'Bearer {login["access"]}'})
    assert graphiql.run('{ me { username } }') == {'data': {'me': {'username': 'alice'}}}
    assert graphiql.run('mutation { verify { msg } }') == msg('verify', 'Token is valid')

    graphiql.open(f'{demo.url}/api/token/refresh/graphql/')
    if mode == 'JSON':
        graphiql.set_headers({'Authorization': f'Bearer {login["refresh"]}'})
    for mutation, text in [
        ('refreshAccess', 'Access token successfully refreshed.'),
        ('updateRefresh', 'Refresh token successfully updated.'),
        ('revoke', 'Token successfully blacklisted.'),
    ]:
        assert graphiql.run(f'mutation {{ {mutation} {{ msg }} }}') == msg(mutation, text)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot = SCREENSHOTS / f'graphiql-{mode}.png'
    page.screenshot(path=screenshot)
    print(f'screenshot: {screenshot}')
