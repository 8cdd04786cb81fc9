"""CSRF for requests a session authenticates: never weaker than graphene-django's view.

graphene-django's GraphQLView behind Django's CsrfViewMiddleware refuses a
POST without the right CSRF token. Ours serves the project's whole schema
too, so a user logged in by session must not get the project's mutations
run cross-site, in any mode, whatever the document.
"""

import pytest
from django.test import Client

from .conftest import GRAPHQL, LOGIN, ME, VERIFY, Api

OURS = '/project/graphql/'
GRAPHENE = '/graphene/graphql/'
RENAME = 'mutation { renameMe(firstName: "Mallory") { ok } }'

# What a cross-site page (or a careless client) sends: no token, a wrong one,
# the right one from another origin; and the right one from the page itself.
CROSS_SITE = {
    'no token': {},
    'wrong token': {'HTTP_X_CSRFTOKEN': 'x' * 32},
    'right token, other origin': {'token': True, 'HTTP_ORIGIN': 'http://evil.example'},
    'right token': {'token': True},
}


@pytest.fixture
def session(session_browser) -> Api:
    """A browser whose session has logged alice in (e.g. through the admin)."""
    return session_browser


def renamed(alice) -> bool:
    alice.refresh_from_db()
    return alice.first_name == 'Mallory'


def headers(session: Api, case: dict) -> dict:
    sent = {name: value for name, value in case.items() if name != 'token'}
    if case.get('token'):
        sent['HTTP_X_CSRFTOKEN'] = session.client.cookies['csrftoken'].value
    return sent


@pytest.mark.parametrize('case', CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_session_mutation_runs_only_where_graphene_django_runs_it(session, alice, case):
    # graphene-django's refusal is Django's HTML page: only its status is read.
    graphene_response = session.client.post(
        GRAPHENE,
        {'query': RENAME},
        content_type='application/json',
        **headers(session, case),
    )
    graphene_ran = renamed(alice)
    alice.first_name = ''
    alice.save()

    result = session.post(RENAME, path=OURS, csrf=False, **headers(session, case))

    assert renamed(alice) == graphene_ran
    assert graphene_ran == (case == CROSS_SITE['right token'])
    if graphene_ran:
        assert result.field('renameMe') == {'ok': True}
    else:
        assert graphene_response.status_code == 403
        assert result.status == 403
        assert result.error['message'].startswith('CSRF Failed: ')
        assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'CSRF_FAILED'}
        assert 'data' not in result.body


def test_session_request_without_csrf_token_is_refused_on_gql_djwto_urls(session):
    result = session.post(VERIFY, csrf=False)
    assert result.status == 403
    assert result.error['message'] == 'CSRF Failed: CSRF token missing.'


def test_session_login_document_needs_the_csrf_token_too(session):
    result = session.post(LOGIN, {'username': 'alice', 'password': 'pass'}, csrf=False)
    assert result.status == 403
    assert session.login().field('tokenAuth')['msg'] == 'Tokens successfully created.'


def test_session_query_over_post_needs_the_csrf_token(session):
    assert session.post(ME, csrf=False).status == 403


def test_bearer_request_in_json_mode_needs_no_csrf_token_even_with_a_session(settings, alice):
    settings.DJWTO_MODE = 'JSON'
    api = Api(Client(enforce_csrf_checks=True), 'JSON')
    api.login()
    api.client.force_login(alice)  # a session too, as after logging in to the admin
    result = api.with_access(VERIFY, csrf=False)
    assert result.field('verify')['msg'] == 'Token is valid'


def test_basic_credentials_do_not_exempt_a_session_request(session):
    """A browser resends Basic credentials by itself: only a bearer header shows intent."""
    result = session.post(RENAME, path=OURS, csrf=False, HTTP_AUTHORIZATION='Basic YWxpY2U6cGFzcw==')
    assert result.status == 403


def test_json_request_without_session_cookie_costs_no_query(db, settings, django_assert_num_queries):
    settings.DJWTO_MODE = 'JSON'
    api = Api(Client(enforce_csrf_checks=True), 'JSON')
    with django_assert_num_queries(0):
        result = api.post('{ __typename }', path=GRAPHQL, csrf=False)
    assert result.field('__typename') == 'Query'


def test_session_rule_holds_with_djwto_csrf_turned_off(session, settings, alice):
    settings.DJWTO_CSRF = False
    result = session.post(RENAME, path=OURS, csrf=False)
    assert result.status == 403
    assert not renamed(alice)
