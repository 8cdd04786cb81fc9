"""Responses that carry tokens (in the body or in cookies) tell every cache not to keep them."""

import pytest

from .conftest import (
    DELETE_COOKIES,
    ME,
    REFRESH_ACCESS,
    REVOKE,
    UPDATE_REFRESH,
    VERIFY,
    VERIFY_REFRESH,
)


def cache_control(result) -> str | None:
    return result.response.get('Cache-Control')


def test_login_answer_is_not_stored(api):
    result = api.login()
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert cache_control(result) == 'no-store'


@pytest.mark.parametrize('query', [REFRESH_ACCESS, UPDATE_REFRESH])
def test_answers_issuing_tokens_are_not_stored(logged_in, query):
    result = logged_in.with_refresh(query)
    assert not result.errors, result.body
    assert cache_control(result) == 'no-store'


def test_login_answer_is_not_stored_even_when_the_tokens_are_not_selected(api):
    result = api.post('mutation { tokenAuth(username: "alice", password: "pass") { msg } }')
    assert result.field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert cache_control(result) == 'no-store'


@pytest.mark.parametrize('query', [VERIFY, ME, DELETE_COOKIES])
def test_answers_without_tokens_are_unchanged(logged_in, query):
    result = logged_in.with_access(query)
    assert not result.errors, result.body
    assert cache_control(result) is None


@pytest.mark.parametrize('query', [REVOKE, VERIFY_REFRESH])
def test_refresh_path_answers_without_tokens_are_unchanged(logged_in, query):
    assert cache_control(logged_in.with_refresh(query)) is None


def test_failed_login_is_unchanged(api):
    result = api.login(password='wrong')
    assert result.errors
    assert cache_control(result) is None


def test_cookies_set_then_deleted_in_one_document_carry_no_token(cookie_api):
    result = cookie_api.post(
        'mutation { tokenAuth(username: "alice", password: "pass") { msg } deleteCookies { msg } }'
    )
    assert result.field('deleteCookies') == {'msg': 'Tokens successfully deleted.'}
    assert cache_control(result) is None
