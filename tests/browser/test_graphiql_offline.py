"""GraphiQL with no internet: its files come from gql_djwto's static files (DJWTO_GRAPHIQL_ASSETS).

Every request of the page that leaves 127.0.0.1 is aborted and recorded;
none may be needed. 'cdn' mode still loads graphene-django's jsDelivr files
(answered here from the npm cache).
"""

from __future__ import annotations

import pytest

from gql_djwto.graphiql import cdn_files, shipped_files
from tests.test_demo_http import start_demo

from .test_graphiql import LOGIN, GraphiQL

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope='module')
def static_demo(request, tmp_path_factory):
    """The demo in JSON mode with default settings: GraphiQL's files served locally."""
    folder = tmp_path_factory.mktemp('demo-static')
    return start_demo(request, folder / 'demo.sqlite3', folder / 'demo.log')


@pytest.fixture(scope='module')
def cdn_demo(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp('demo-cdn')
    return start_demo(request, folder / 'demo.sqlite3', folder / 'demo.log', DJWTO_GRAPHIQL_ASSETS='cdn')


def test_graphiql_logs_in_and_answers_me_with_nothing_from_beyond_the_machine(
    page, outside_requests, static_demo
):
    loaded = []
    page.on('response', lambda response: loaded.append((response.url, response.status)))
    graphiql = GraphiQL(page)
    graphiql.open(f'{static_demo.url}/graphql/')
    login = graphiql.run(LOGIN, typed=True)['data']['tokenAuth']
    assert login['msg'] == 'Tokens successfully created.'
    graphiql.set_headers({'Authorization': f'Bearer {login["access"]}'})
    assert graphiql.run('{ me { username } }', typed=True) == {'data': {'me': {'username': 'alice'}}}

    assert outside_requests == []
    local = {
        url.split('/static/', 1)[1]
        for url, status in loaded
        if '/static/gql_djwto/graphiql/' in url and status == 200
    }
    assert local == {file.static_path for file in shipped_files()}


def test_graphiql_in_cdn_mode_loads_graphene_djangos_jsdelivr_files(cdn_page, cdn_demo):
    requested = []
    cdn_page.on('request', lambda request: requested.append(request.url))
    graphiql = GraphiQL(cdn_page)
    graphiql.open(f'{cdn_demo.url}/graphql/')
    assert graphiql.run(LOGIN)['data']['tokenAuth']['msg'] == 'Tokens successfully created.'
    assert {url for url in requested if '//cdn.jsdelivr.net/' in url} == {file.url for file in cdn_files()}
    assert not [url for url in requested if '/static/gql_djwto/' in url]
