"""The admin revokes one session (the blacklist) or every session of a user, logged in as a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gql_djwto import signals
from gql_djwto.models import JWTBlacklist, UserRevocation
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, VERIFY, browser_like

REFUSED = "Can't update access token."


@pytest.fixture
def admin_client(settings, db) -> Client:
    settings.ROOT_URLCONF = 'tests.admin_urls'
    client = Client()
    client.force_login(User.objects.create_superuser('root', 'root@example.com', 'pass'))
    return client


@pytest.fixture
def session(mode, alice, clock):
    api = browser_like(mode)
    api.login().field('tokenAuth')
    clock.tick(1)
    return api


def test_adding_a_jti_to_the_blacklist_revokes_that_session(
    admin_client, session, django_capture_on_commit_callbacks
):
    jti = decode(session.token('refresh'))['jti']
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            '/admin/gql_djwto/jwtblacklist/add/', {'jti': jti, 'expires_0': '', 'expires_1': ''}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert JWTBlacklist.objects.filter(jti=jti).exists()
    assert session.with_refresh(REFRESH_ACCESS).error['message'] == REFUSED


def test_a_jti_added_by_the_admin_reaches_access_tokens_with_the_cache(
    admin_client, session, revocation_cache, django_capture_on_commit_callbacks
):
    jti = decode(session.token('refresh'))['jti']
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            '/admin/gql_djwto/jwtblacklist/add/', {'jti': jti, 'expires_0': '', 'expires_1': ''}
        )
    assert session.with_access(VERIFY).error['extensions']['reason'] == 'TOKEN_REVOKED'


def test_blacklist_rows_are_read_only_and_hide_the_token(admin_client, session):
    session.with_refresh('mutation { revoke { msg } }').field('revoke')
    row = JWTBlacklist.objects.get()
    page = admin_client.get(f'/admin/gql_djwto/jwtblacklist/{row.pk}/change/').content.decode()
    assert row.jti in page and session.token('refresh') not in page
    assert (
        admin_client.post(f'/admin/gql_djwto/jwtblacklist/{row.pk}/change/', {'jti': 'other'}).status_code
        == 403
    )


def test_adding_a_user_revocation_ends_every_session_of_that_user(
    admin_client, session, alice, settings, django_capture_on_commit_callbacks
):
    settings.DJWTO_REVOKE_ALL = True
    received = []
    signals.jwt_all_revoked.connect(
        lambda sender, **kwargs: received.append(kwargs), weak=False, dispatch_uid='admin-test'
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post('/admin/gql_djwto/userrevocation/add/', {'user': alice.pk})
    finally:
        signals.jwt_all_revoked.disconnect(dispatch_uid='admin-test')
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UserRevocation.objects.get().user == alice
    assert session.with_refresh(REFRESH_ACCESS).error['message'] == REFUSED
    assert [(kwargs['user'], kwargs['cause']) for kwargs in received] == [(alice, 'admin')]


def test_the_action_moves_an_existing_cutoff_forward(admin_client, session, alice, settings, clock):
    settings.DJWTO_REVOKE_ALL = True
    admin_client.post('/admin/gql_djwto/userrevocation/add/', {'user': alice.pk})
    first = UserRevocation.objects.get().not_before
    clock.tick(1)
    later = browser_like(session.mode)
    later.login().field('tokenAuth')
    clock.tick(1)
    response = admin_client.post(
        '/admin/gql_djwto/userrevocation/', {'action': 'end_sessions_again', '_selected_action': [alice.pk]}
    )
    assert response.status_code == 302
    assert UserRevocation.objects.get().not_before > first
    assert later.with_refresh(REFRESH_ACCESS).error['message'] == REFUSED


def test_adding_a_user_twice_moves_the_cutoff_instead_of_failing(admin_client, alice, clock, settings):
    settings.DJWTO_REVOKE_ALL = True
    admin_client.post('/admin/gql_djwto/userrevocation/add/', {'user': alice.pk})
    first = UserRevocation.objects.get().not_before
    clock.tick(1)
    response = admin_client.post('/admin/gql_djwto/userrevocation/add/', {'user': alice.pk})
    assert response.status_code == 302
    assert UserRevocation.objects.get().not_before > first


def test_the_admin_says_when_cutoffs_are_not_checked(admin_client, alice):
    response = admin_client.post('/admin/gql_djwto/userrevocation/add/', {'user': alice.pk}, follow=True)
    assert 'DJWTO_REVOKE_ALL is False' in response.content.decode()
