"""JWTAuthenticationMiddleware for plain Django views, and request.user beside the CSRF rules.

``/request-user/`` (tests/urls.py) answers what a plain view reads of
``request.user``. The CSRF rule for sessions (tests/test_session_csrf.py)
must read the user the session gave, never the token's: a token's user must
neither switch that rule on (cookie modes with DJWTO_CSRF off, login-only
documents) nor, by replacing the session's user, switch it off.
"""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import Client

from .conftest import GRAPHQL, LOGIN, Api
from .test_request_user import ANONYMOUS, REQUEST_USER, token_user

VIEW = '/request-user/'
AUTHENTICATION = 'django.contrib.auth.middleware.AuthenticationMiddleware'
OURS = 'gql_djwto.middleware.JWTAuthenticationMiddleware'


@pytest.fixture(autouse=True)
def request_user_from_tokens(settings):
    """The feature is opt-in (DJWTO_REQUEST_USER is None by default): turn it on."""
    settings.DJWTO_REQUEST_USER = 'token'


@pytest.fixture
def middleware(settings):
    """Our middleware right after Django's; asked for before any client is made."""
    at = settings.MIDDLEWARE.index(AUTHENTICATION) + 1
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], OURS, *settings.MIDDLEWARE[at:]]


def get_view(api: Api, bearer: str | None = None) -> tuple[int, dict]:
    bearer = bearer if bearer is not None else (api.access if api.mode == 'JSON' else None)
    headers = {'HTTP_AUTHORIZATION': f'Bearer {bearer}'} if bearer else {}
    response = api.client.get(VIEW, **headers)
    return response.status_code, response.json()


def test_plain_view_sees_the_token_user_without_a_query(
    middleware, logged_in, alice, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert get_view(logged_in) == (200, token_user(alice))


def test_plain_view_without_the_middleware_sees_no_token_user(logged_in):
    assert get_view(logged_in) == (200, ANONYMOUS)


def test_plain_view_perms_follow_the_claim(middleware, api, bob):
    api.login('bob')
    assert get_view(api) == (200, token_user(bob, can_view_users=True))


def test_async_view_awaits_the_token_user(middleware, logged_in):
    bearer = logged_in.access if logged_in.mode == 'JSON' else None
    headers = {'HTTP_AUTHORIZATION': f'Bearer {bearer}'} if bearer else {}
    response = logged_in.client.get('/request-user-async/', **headers)
    assert response.json() == {'class': 'TokenUser', 'username': 'alice'}


def test_plain_view_keeps_the_session_user_without_a_token(middleware, mode, alice):
    client = Client()
    client.force_login(alice)
    status, answer = get_view(Api(client, mode))
    assert status == 200 and answer['class'] == 'User' and answer['username'] == 'alice'


def test_plain_view_keeps_the_session_user_beside_basic_credentials(middleware, settings, alice):
    """A browser resends Basic credentials by itself: they are not a token of ours."""
    settings.DJWTO_MODE = 'JSON'
    client = Client()
    client.force_login(alice)
    response = client.get(VIEW, HTTP_AUTHORIZATION='Basic YWxpY2U6cGFzcw==')
    assert response.json()['class'] == 'User'


def test_plain_view_with_an_expired_token_is_anonymous(middleware, clock, logged_in):
    clock.tick(301)
    assert get_view(logged_in) == (200, ANONYMOUS)


def test_plain_view_database_mode_reads_the_user_once(
    middleware, logged_in, settings, django_assert_num_queries
):
    settings.DJWTO_REQUEST_USER = 'database'
    # One query for the user, and ModelBackend's for has_perm and has_module_perms.
    with django_assert_num_queries(3):
        status, answer = get_view(logged_in)
    assert status == 200 and answer['class'] == 'User' and answer['username'] == 'alice'


def test_plain_view_database_mode_refuses_a_deleted_user_with_a_403(middleware, logged_in, settings, alice):
    settings.DJWTO_REQUEST_USER = 'database'
    alice.delete()
    assert get_view(logged_in) == (
        403,
        {'error': "The token's user does not exist.", 'reason': 'USER_UNKNOWN'},
    )


def test_the_middleware_and_our_view_set_the_user_once(middleware, logged_in, alice):
    assert logged_in.with_access(REQUEST_USER).field('requestUser') == token_user(alice)


# Where the middleware goes.


def test_the_middleware_before_authentication_middleware_is_a_check_error(settings):
    at = settings.MIDDLEWARE.index(AUTHENTICATION)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], OURS, *settings.MIDDLEWARE[at:]]
    [error] = [m for m in checks.run_checks() if m.id == 'gql_djwto.E036']
    assert OURS in error.msg and error.level == checks.ERROR


def test_the_middleware_after_authentication_middleware_passes_the_checks(middleware):
    assert [m for m in checks.run_checks() if m.id.startswith('gql_djwto.')] == []


def test_the_middleware_with_request_user_off_is_a_check_error(middleware, settings):
    del settings.DJWTO_REQUEST_USER
    [error] = [m for m in checks.run_checks() if m.id == 'gql_djwto.E036']
    assert 'DJWTO_REQUEST_USER is None' in error.msg
    response = Client().get(VIEW)  # and it leaves request.user to Django
    assert response.json() == ANONYMOUS


# CSRF: the token's user is not a session.


@pytest.fixture(params=[False, True], ids=['view', 'view+middleware'])
def maybe_middleware(request, settings):
    if request.param:
        request.getfixturevalue('middleware')


def test_token_user_does_not_bring_csrf_where_djwto_csrf_is_off(maybe_middleware, settings, cookie_api):
    settings.DJWTO_CSRF = False
    cookie_api.login()
    result = cookie_api.post(REQUEST_USER, csrf=False)
    assert result.field('requestUser')['class'] == 'TokenUser'


def test_token_user_does_not_bring_csrf_to_a_login_only_document(maybe_middleware, cookie_api):
    cookie_api.login()
    result = cookie_api.post(LOGIN, {'username': 'alice', 'password': 'pass'}, csrf=False)
    assert result.field('tokenAuth')['msg'] == 'User already authenticated.'


def test_session_still_needs_csrf_when_its_token_is_bad(maybe_middleware, clock, settings, session_browser):
    """request.user is anonymous for a bad token; the session beside it still counts."""
    settings.DJWTO_CSRF = False
    session_browser.login()
    clock.tick(301)
    assert session_browser.with_access(REQUEST_USER).field('requestUser') == ANONYMOUS
    result = session_browser.post(REQUEST_USER, csrf=False)
    assert result.status == 403
    assert result.error['message'] == 'CSRF Failed: CSRF token missing.'


def test_session_without_token_still_needs_csrf(maybe_middleware, session_browser):
    result = session_browser.post(REQUEST_USER, path=GRAPHQL, csrf=False)
    assert result.status == 403
    assert result.error['message'] == 'CSRF Failed: CSRF token missing.'


def test_bearer_user_with_a_session_needs_no_csrf(maybe_middleware, settings, alice):
    settings.DJWTO_MODE = 'JSON'
    api = Api(Client(enforce_csrf_checks=True), 'JSON')
    api.login()
    api.client.force_login(alice)
    result = api.with_access(REQUEST_USER, csrf=False)
    assert result.field('requestUser')['class'] == 'TokenUser'


# A bad setting met by request.user: the one policy (gql_djwto.refusals).

NOT_PROCESSED = {'error': 'Failed to process request.', 'reason': 'NOT_PROCESSED'}


@pytest.mark.parametrize(
    'name, value',
    [('DJWTO_REQUEST_USER', 'db'), ('DJWTO_SIGNING_KEY', None), ('DJWTO_MODE', 'COOKIES')],
)
def test_a_bad_setting_met_by_a_plain_views_user_is_a_coded_refusal(
    middleware, logged_in, settings, monkeypatch, caplog, name, value
):
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    setattr(settings, name, value)
    assert get_view(logged_in) == (500, NOT_PROCESSED)
    assert name in caplog.text
