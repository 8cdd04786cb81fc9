"""djwto's six signals: djwto's senders, djwto's kwargs, once per success."""

import json

import pytest
from django.core.handlers.wsgi import WSGIRequest

from gql_djwto import signals
from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, REVOKE, UPDATE_REFRESH, VERIFY, VERIFY_REFRESH

CLAIMS_KWARGS = {'signal', 'request', 'refresh_claims', 'access_claims'}


def only_event(recorder, name, sender):
    assert [(n, s) for n, s, _ in recorder.events] == [(name, sender)]
    kwargs = recorder.events[0][2]
    assert isinstance(kwargs['request'], WSGIRequest)
    return kwargs


def test_login_sends_jwt_logged_in(api, recorder):
    api.login()
    kwargs = only_event(recorder, 'jwt_logged_in', 'GetTokensView')
    assert set(kwargs) == CLAIMS_KWARGS
    assert kwargs['request'].path == '/graphql/'
    assert kwargs['refresh_claims'] == decode(api.token('refresh'))
    assert kwargs['access_claims'] == decode(api.token('access'))


def test_failed_login_sends_jwt_login_fail_only(api, recorder):
    api.login(password='nope')
    kwargs = only_event(recorder, 'jwt_login_fail', 'GetTokensView')
    assert set(kwargs) == {'signal', 'request', 'error'}
    assert json.loads(kwargs['error'])['__all__'][0].startswith('Please enter a correct username')


def test_refresh_access_sends_jwt_access_refreshed(logged_in, recorder):
    recorder.clear()
    logged_in.with_refresh(REFRESH_ACCESS).field('refreshAccess')
    kwargs = only_event(recorder, 'jwt_access_refreshed', 'RefreshAccessView')
    assert set(kwargs) == CLAIMS_KWARGS
    assert kwargs['refresh_claims'] == decode(logged_in.token('refresh'))
    assert kwargs['access_claims']['type'] == 'access'


def test_update_refresh_sends_jwt_refresh_updated(logged_in, recorder):
    recorder.clear()
    answer = logged_in.with_refresh(UPDATE_REFRESH).field('updateRefresh')
    if logged_in.mode == 'JSON':
        logged_in.refresh = answer['refresh']
    kwargs = only_event(recorder, 'jwt_refresh_updated', 'UpdateRefreshView')
    assert set(kwargs) == CLAIMS_KWARGS
    assert kwargs['refresh_claims'] == decode(logged_in.token('refresh'))


def test_revoke_sends_jwt_blacklisted(logged_in, recorder):
    recorder.clear()
    logged_in.with_refresh(REVOKE).field('revoke')
    kwargs = only_event(recorder, 'jwt_blacklisted', 'BlackListTokenView')
    assert set(kwargs) == {'signal', 'request', 'jti'}
    assert kwargs['jti'] == JWTBlacklist.objects.get().jti
    assert kwargs['request'].path == '/api/token/refresh/graphql/'


@pytest.mark.parametrize('query', [VERIFY, VERIFY_REFRESH])
def test_verify_sends_jwt_token_validated(logged_in, recorder, query):
    recorder.clear()
    send = logged_in.with_access if query == VERIFY else logged_in.with_refresh
    send(query).field('verify')
    kwargs = only_event(recorder, 'jwt_token_validated', 'ValidateTokensView')
    assert set(kwargs) == {'signal', 'request'}


@pytest.mark.parametrize('query', [REFRESH_ACCESS, UPDATE_REFRESH, REVOKE, VERIFY_REFRESH])
def test_no_signal_when_the_refresh_token_is_refused(logged_in, recorder, query):
    recorder.clear()
    logged_in.set_token('refresh', logged_in.token('access'))
    assert logged_in.with_refresh(query).errors
    assert recorder.events == []


@pytest.mark.parametrize('query', [REFRESH_ACCESS, UPDATE_REFRESH, REVOKE])
def test_no_signal_when_the_token_is_revoked(logged_in, recorder, query):
    JWTBlacklist.objects.create(jti=decode(logged_in.token('refresh'))['jti'])
    recorder.clear()
    assert logged_in.with_refresh(query).errors
    assert recorder.events == []


def test_no_signal_when_verify_fails(api, recorder):
    assert api.with_access(VERIFY).errors
    assert recorder.events == []


@pytest.fixture
def other_senders_receiver():
    """A receiver of jwt_token_validated from another sender, connected for one test only."""
    heard = []

    def receiver(sender, **kwargs):
        heard.append(sender)

    signals.jwt_token_validated.connect(receiver, sender='SomeOtherView', weak=False)
    yield heard
    signals.jwt_token_validated.disconnect(receiver, sender='SomeOtherView')


def test_handlers_connected_to_another_sender_hear_nothing(logged_in, recorder, other_senders_receiver):
    recorder.clear()
    logged_in.with_access(VERIFY).field('verify')
    assert recorder.names() == ['jwt_token_validated']
    assert other_senders_receiver == []


def test_one_send_per_operation_in_a_multi_operation_document(logged_in, recorder):
    recorder.clear()
    logged_in.with_refresh(
        'mutation { a: verify(jwtType: REFRESH) { msg } b: refreshAccess { msg } c: refreshAccess { msg } }'
    )
    assert recorder.names() == ['jwt_token_validated', 'jwt_access_refreshed', 'jwt_access_refreshed']
