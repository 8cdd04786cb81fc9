"""CSRF: in cookie modes every operation but login needs the token, as in djwto."""

import pytest
from django.test import Client

from .conftest import (
    DELETE_COOKIES,
    GRAPHQL,
    ME,
    REFRESH_ACCESS,
    REFRESH_GRAPHQL,
    REVOKE,
    UPDATE_REFRESH,
    VERIFY,
    VERIFY_REFRESH,
    Api,
)

ACCESS_OPERATIONS = [VERIFY, DELETE_COOKIES, ME]
REFRESH_OPERATIONS = [REFRESH_ACCESS, UPDATE_REFRESH, REVOKE, VERIFY_REFRESH]


@pytest.fixture
def fresh(cookie_mode, alice) -> Api:
    """A client that never loaded a page: no csrftoken cookie yet."""
    return Api(Client(enforce_csrf_checks=True), cookie_mode)


def test_login_needs_no_csrf_token_and_sets_one(fresh):
    result = fresh.login(csrf=False)
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert result.cookie('csrftoken').value


def test_login_rotates_the_csrf_token(cookie_api):
    before = cookie_api.client.cookies['csrftoken'].value
    result = cookie_api.login()
    assert result.cookie('csrftoken').value != before


@pytest.mark.parametrize('query', ACCESS_OPERATIONS)
def test_access_operations_without_csrf_header_are_forbidden(fresh, query):
    fresh.login()
    result = fresh.with_access(query, csrf=False)
    assert result.status == 403
    assert result.error['message'] == 'CSRF Failed: CSRF token missing.'
    assert result.error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': 'CSRF_FAILED'}
    assert 'data' not in result.body


@pytest.mark.parametrize('query', REFRESH_OPERATIONS)
def test_refresh_operations_without_csrf_header_are_forbidden(fresh, query):
    fresh.login()
    result = fresh.with_refresh(query, csrf=False)
    assert result.status == 403
    assert result.error['message'].startswith('CSRF Failed:')


def test_wrong_csrf_header_is_forbidden(fresh):
    fresh.login()
    result = fresh.with_access(VERIFY, csrf=False, HTTP_X_CSRFTOKEN='x' * 32)
    assert result.status == 403
    assert result.error['message'].startswith('CSRF Failed: CSRF token ')


def test_the_old_csrf_token_stops_working_after_login(cookie_api):
    old = cookie_api.client.cookies['csrftoken'].value
    cookie_api.login()
    result = cookie_api.with_access(VERIFY, csrf=False, HTTP_X_CSRFTOKEN=old)
    assert result.status == 403


@pytest.mark.parametrize('query', ACCESS_OPERATIONS)
def test_access_operations_with_the_rotated_csrf_token_pass(fresh, query):
    fresh.login()
    result = fresh.with_access(query)
    assert result.status == 200
    assert not result.errors, result.body


def test_login_mixed_with_another_mutation_needs_csrf(fresh):
    query = 'mutation { tokenAuth(username: "alice", password: "pass") { msg } verify { msg } }'
    result = fresh.post(query, csrf=False)
    assert result.status == 403


def test_json_mode_never_needs_csrf(settings, alice):
    settings.DJWTO_MODE = 'JSON'
    api = Api(Client(enforce_csrf_checks=True), 'JSON')
    api.login(csrf=False)
    assert api.with_access(VERIFY, csrf=False).field('verify')['msg'] == 'Token is valid'
    assert api.with_refresh(REFRESH_ACCESS, csrf=False).field('refreshAccess')['msg']


def test_csrf_can_be_turned_off(fresh, settings):
    settings.DJWTO_CSRF = False
    fresh.login(csrf=False)
    assert fresh.with_access(VERIFY, csrf=False).field('verify')['msg'] == 'Token is valid'


def test_queries_over_get_need_no_csrf(fresh):
    fresh.login()
    response = fresh.client.get(GRAPHQL, {'query': ME}, HTTP_ACCEPT='application/json')
    assert response.json() == {'data': {'me': 'alice'}}


def test_csrf_is_checked_without_djangos_middleware(fresh, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if 'csrf' not in m.lower()]
    fresh.login()
    assert fresh.with_access(VERIFY, csrf=False).status == 403
    assert fresh.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'


def test_refresh_url_checks_csrf_too(fresh):
    fresh.login()
    assert fresh.post(REFRESH_ACCESS, path=REFRESH_GRAPHQL, csrf=False).status == 403
