"""request.user from the access token over real HTTP, under each profile's settings.

The e-mail profile checks that the user's name is read under its own
USERNAME_FIELD; the others, that prefixes, transactions and time zones
leave it alone.
"""

from __future__ import annotations

import pytest

WHO = '{ who }'


@pytest.mark.parametrize('source, kind', [('token', 'TokenUser'), ('database', 'User')])
def test_a_resolver_sees_the_token_user(browser, user, settings, source, kind):
    settings.DJWTO_REQUEST_USER = source
    name = user.get_username()
    assert browser.login(name).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    assert browser.with_access(WHO).field('who') == f'{kind}: {name}'


def test_by_default_request_user_is_left_to_django(browser, user):
    browser.login(user.get_username())
    assert browser.with_access(WHO).field('who') == 'AnonymousUser: '
