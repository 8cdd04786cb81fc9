"""graphql/csrf/: the current CSRF token as JSON, for a front end on another origin."""

import pytest
from django.test import Client

from .conftest import VERIFY, Api

CSRF_URL = '/graphql/csrf/'


@pytest.fixture
def fresh(cookie_mode, alice) -> Api:
    """A client that never loaded a page: it learns the CSRF token only from graphql/csrf/."""
    return Api(Client(enforce_csrf_checks=True), cookie_mode)


def csrf_token(api: Api) -> str:
    response = api.client.get(CSRF_URL, HTTP_ACCEPT='application/json')
    assert response.status_code == 200
    return response.json()['csrfToken']


def test_csrf_view_answers_a_token_and_sets_the_cookie_it_matches(client):
    response = client.get(CSRF_URL)
    assert response.status_code == 200
    assert response['Content-Type'] == 'application/json'
    assert set(response.json()) == {'csrfToken'}
    assert response.cookies['csrftoken'].value
    assert 'no-store' in response['Cache-Control']


def test_csrf_view_token_passes_the_check_after_login(fresh):
    assert fresh.login(csrf=False).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    result = fresh.with_access(VERIFY, csrf=False, HTTP_X_CSRFTOKEN=csrf_token(fresh))
    assert result.status == 200
    assert result.field('verify')['msg'] == 'Token is valid'


def test_csrf_view_token_fetched_before_login_is_refused_after_it(fresh):
    before = csrf_token(fresh)
    fresh.login(csrf=False)
    result = fresh.with_access(VERIFY, csrf=False, HTTP_X_CSRFTOKEN=before)
    assert result.status == 403
    message = result.error['message']
    assert message.startswith('CSRF Failed: CSRF token') and message.endswith(' incorrect.'), message


def test_csrf_view_refuses_post(client):
    assert client.post(CSRF_URL).status_code == 405


def test_csrf_view_sets_the_cookie_without_csrf_middleware(client, settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if 'csrf' not in name.lower()]
    response = client.get(CSRF_URL)
    assert response.cookies['csrftoken'].value
