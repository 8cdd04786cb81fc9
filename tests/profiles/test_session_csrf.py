"""A user logged in by Django session needs the CSRF token for the project's own mutations.

The rule, in every mode and at both GraphQL URLs: a request that carries
no bearer token and whose session authenticates a user passes Django's
CSRF check before any field runs, as behind CsrfViewMiddleware
(graphene-django's own view) or DRF's SessionAuthentication; a JSON-mode
request with a bearer token needs none.
"""

from __future__ import annotations

import pytest

from .conftest import GRAPHQL, REFRESH_GRAPHQL

RENAME = """mutation Rename($name: String!) {
  rename(input: {firstName: $name}) { firstName errors { field messages } }
}"""

URLS = pytest.mark.parametrize('path', [GRAPHQL, REFRESH_GRAPHQL])


def first_name(user) -> str:
    user.refresh_from_db()
    return user.first_name


@URLS
def test_session_user_mutation_without_csrf_token_is_refused_and_not_run(browser, user, path):
    browser.admin_login(user.get_username())

    answer = browser.post(RENAME, {'name': 'Mallory'}, path=path, csrf=False)

    assert answer.status == 403, answer.body
    assert first_name(user) == ''


@URLS
def test_session_user_mutation_with_a_wrong_csrf_token_is_refused_and_not_run(browser, user, path):
    browser.admin_login(user.get_username())
    wrong = 'x' * 32

    answer = browser.post(RENAME, {'name': 'Mallory'}, path=path, csrf=wrong)

    assert answer.status == 403, answer.body
    assert first_name(user) == ''


@URLS
def test_session_user_mutation_with_csrf_token_runs(browser, user, path):
    browser.admin_login(user.get_username())

    answer = browser.post(RENAME, {'name': 'Alice'}, path=path)

    assert answer.field('rename') == {'firstName': 'Alice', 'errors': []}
    assert first_name(user) == 'Alice'


def test_json_mode_bearer_mutation_needs_no_csrf_token(new_browser, user, settings):
    settings.DJWTO_MODE = 'JSON'
    browser = new_browser('JSON')
    assert browser.login(user.get_username()).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert 'csrftoken' not in browser.session.cookies

    answer = browser.post(RENAME, {'name': 'Alice'}, bearer=browser.access, csrf=False)

    assert answer.field('rename') == {'firstName': 'Alice', 'errors': []}
    assert first_name(user) == 'Alice'
