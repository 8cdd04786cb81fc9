"""GraphiQL's two pages (``graphql/`` and the refresh path's) keep their own editor state in Chromium.

Both pages live on one origin, so by default GraphiQL would keep one
localStorage for both: page two opened with page one's query and added a
tab for it, and every later visit of either page added another
(gql_djwto/templates/gql_djwto/graphiql_storage.html gives each its own).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .test_graphiql import QUERY_EDITOR, QUERY_IN_HASH, GraphiQL

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAGE_ONE = '/graphql/'
PAGE_TWO = '/api/token/refresh/graphql/'
ONE_QUERY = '{ me { username } }'
TWO_QUERY = 'mutation { refreshAccess { msg } }'
RELOADS = 2
# GraphiQL saves its tabs 500 ms after an edit, while graphene-django's page writes the
# query into the URL at once: a visit sooner would find the tabs of before the edit.
TABS_SAVED = """q => Object.keys(localStorage).some(
  key => key.endsWith('graphiql:tabState') && localStorage.getItem(key).includes(q)
)"""
# GraphiQL 2 draws one .graphiql-tab per tab once there are two or more; none for a single tab.
TABS_SHOWN = 'document.querySelectorAll(".graphiql-tab").length || 1'


@pytest.fixture(scope='module')
def mode() -> str:
    return 'JSON'  # the editor state is the same in every mode


def type_and_save(graphiql: GraphiQL, query: str) -> None:
    graphiql.type_query(query)
    graphiql.page.wait_for_function(QUERY_IN_HASH, arg=query)
    graphiql.page.wait_for_function(TABS_SAVED, arg=query)


def editor_text(graphiql: GraphiQL) -> str:
    return graphiql.page.locator(QUERY_EDITOR).evaluate('el => el.CodeMirror.getValue()')


def tabs_shown(graphiql: GraphiQL) -> int:
    return graphiql.page.evaluate(TABS_SHOWN)


def test_each_page_keeps_its_own_query_and_a_single_tab(page, demo):
    graphiql = GraphiQL(page)
    graphiql.open(demo.url + PAGE_ONE)
    type_and_save(graphiql, ONE_QUERY)

    graphiql.open(demo.url + PAGE_TWO)
    assert ONE_QUERY not in editor_text(graphiql)
    assert tabs_shown(graphiql) == 1
    type_and_save(graphiql, TWO_QUERY)

    graphiql.open(demo.url + PAGE_ONE)  # a visit: no query in the URL
    for visit in range(RELOADS + 1):
        if visit:
            page.reload()
            page.locator(QUERY_EDITOR).wait_for()
        assert (editor_text(graphiql), tabs_shown(graphiql)) == (ONE_QUERY, 1), f'visit {visit}'

    graphiql.open(demo.url + PAGE_TWO)
    assert (editor_text(graphiql), tabs_shown(graphiql)) == (TWO_QUERY, 1)


def test_a_page_still_opens_a_shared_link_in_a_tab_of_its_own(page, demo):
    graphiql = GraphiQL(page)
    graphiql.open(demo.url + PAGE_ONE)
    type_and_save(graphiql, ONE_QUERY)

    page.goto('about:blank')  # else only the fragment changes, and the page stays
    graphiql.open(f'{demo.url}{PAGE_ONE}#query={quote(TWO_QUERY)}')
    assert (editor_text(graphiql), tabs_shown(graphiql)) == (TWO_QUERY, 2)
