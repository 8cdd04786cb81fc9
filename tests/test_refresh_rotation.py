"""DJWTO_ROTATE_REFRESH_TOKENS: each refresh answers the session's next refresh token; a reuse revokes it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gql_djwto import signals
from gql_djwto.errors import Reason
from gql_djwto.models import JWTBlacklist, RefreshFamily
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, REVOKE, UPDATE_REFRESH

REFRESHERS = [REFRESH_ACCESS, UPDATE_REFRESH]
FIELD = {REFRESH_ACCESS: 'refreshAccess', UPDATE_REFRESH: 'updateRefresh'}


@pytest.fixture
def rotating(settings):
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True


@pytest.fixture
def reused_events():
    events = []

    def receiver(sender, **kwargs):
        events.append((sender, kwargs))

    signals.jwt_refresh_reused.connect(receiver, weak=False)
    yield events
    signals.jwt_refresh_reused.disconnect(receiver)


def refresh(api, query: str):
    """Send a refresh-type operation; in JSON mode keep the tokens it answers, as a client does."""
    result = api.with_refresh(query)
    if not result.errors and api.mode == 'JSON':
        answer = result.field(FIELD[query])
        api.access, api.refresh = answer['access'], answer['refresh']
    return result


@pytest.mark.parametrize('query', REFRESHERS)
def test_a_refresh_answers_the_next_generation_of_the_same_session(rotating, clock, logged_in, query):
    first = decode(logged_in.token('refresh'))
    assert 'gen' not in first, "login issues djwto's claims: generation 0"
    clock.tick(30)
    result = refresh(logged_in, query)
    assert result.errors == []
    second = decode(logged_in.token('refresh'))
    assert second['jti'] == first['jti'] and second['gen'] == 1
    assert second['iat'] == first['iat'] + 30
    if query == REFRESH_ACCESS:
        assert second['exp'] == first['exp'], 'refreshAccess rotates without extending'
    else:
        assert second['exp'] == first['exp'] + 30
    if logged_in.mode != 'JSON':
        assert result.cookie('jwt_refresh').value == logged_in.token('refresh')
    access = decode(logged_in.token('access'))
    assert access['jti'] == first['jti'] and access['refresh_iat'] == second['iat']
    family = RefreshFamily.objects.get()
    assert (family.jti, family.generation) == (first['jti'], 1)
    clock.tick(30)
    assert refresh(logged_in, query).errors == []
    assert decode(logged_in.token('refresh'))['gen'] == 2
    assert RefreshFamily.objects.count() == 1, 'one row per session, whatever its generation'


@pytest.mark.parametrize('generation', [0, 1], ids=['first-token', 'rotated-token'])
@pytest.mark.parametrize('query', REFRESHERS)
def test_a_used_up_token_after_the_grace_revokes_the_whole_session(
    rotating, clock, logged_in, query, generation, recorder, reused_events
):
    for _ in range(generation):
        assert refresh(logged_in, query).errors == []
    stolen = logged_in.token('refresh')
    assert decode(stolen).get('gen', 0) == generation
    assert refresh(logged_in, query).errors == []
    current = logged_in.token('refresh')
    clock.tick(11)  # past the default grace of 10 seconds
    logged_in.set_token('refresh', stolen)
    recorder.clear()
    error = logged_in.with_refresh(query).error
    assert error['message'] == 'Refresh token was already used.'
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': Reason.TOKEN_REUSED}
    jti = decode(stolen)['jti']
    assert JWTBlacklist.objects.filter(jti=jti).exists()
    sender = 'RefreshAccessView' if query == REFRESH_ACCESS else 'UpdateRefreshView'
    assert [(s, kwargs['jti']) for s, kwargs in reused_events] == [(sender, jti)]
    assert reused_events[0][1]['request'].path.endswith('/graphql/')
    assert recorder.names() == [], 'no refresh signal for a refusal'
    # The live token of the session is refused from now on.
    logged_in.set_token('refresh', current)
    error = logged_in.with_refresh(query).error
    assert error['extensions']['reason'] == Reason.TOKEN_REVOKED


def test_the_blacklist_row_outlives_the_sessions_live_token(rotating, clock, logged_in):
    """The row is kept until the latest exp of the session, which updateRefresh moved."""
    stolen = logged_in.token('refresh')
    clock.tick(3600)
    assert refresh(logged_in, UPDATE_REFRESH).errors == []
    live_exp = decode(logged_in.token('refresh'))['exp']
    clock.tick(11)
    logged_in.set_token('refresh', stolen)
    assert logged_in.with_refresh(REFRESH_ACCESS).error['extensions']['reason'] == Reason.TOKEN_REUSED
    assert JWTBlacklist.objects.get().expires.timestamp() == live_exp


@pytest.mark.parametrize('query', REFRESHERS)
def test_within_the_grace_the_previous_token_gets_the_current_generation_again(
    rotating, clock, logged_in, query, reused_events
):
    """Two tabs refreshing at once: the slower one is answered the live generation, not a fork."""
    previous = logged_in.token('refresh')
    assert refresh(logged_in, query).errors == []
    current = decode(logged_in.token('refresh'))
    clock.tick(10)
    logged_in.set_token('refresh', previous)
    result = refresh(logged_in, query)
    assert result.errors == []
    again = decode(logged_in.token('refresh'))
    assert (again['jti'], again['gen'], again['exp']) == (current['jti'], 1, current['exp'])
    assert RefreshFamily.objects.get().generation == 1, 'the grace never advances the session'
    assert reused_events == []
    # The token the slower tab now holds is the live one: it rotates.
    clock.tick(1)
    assert refresh(logged_in, query).errors == []
    assert decode(logged_in.token('refresh'))['gen'] == 2


def test_only_the_generation_just_replaced_has_a_grace(rotating, clock, logged_in):
    oldest = logged_in.token('refresh')
    assert refresh(logged_in, REFRESH_ACCESS).errors == []
    assert refresh(logged_in, REFRESH_ACCESS).errors == []
    logged_in.set_token('refresh', oldest)
    assert logged_in.with_refresh(REFRESH_ACCESS).error['extensions']['reason'] == Reason.TOKEN_REUSED


def test_a_zero_grace_refuses_the_previous_token_at_once(rotating, settings, clock, logged_in):
    settings.DJWTO_ROTATION_GRACE = __import__('datetime').timedelta(0)
    previous = logged_in.token('refresh')
    assert refresh(logged_in, REFRESH_ACCESS).errors == []
    clock.tick(1)
    logged_in.set_token('refresh', previous)
    assert logged_in.with_refresh(REFRESH_ACCESS).error['extensions']['reason'] == Reason.TOKEN_REUSED


def test_revoke_ends_a_rotating_session(rotating, logged_in):
    assert refresh(logged_in, REFRESH_ACCESS).errors == []
    assert logged_in.with_refresh(REVOKE).field('revoke')['msg'] == 'Token successfully blacklisted.'
    assert logged_in.with_refresh(REFRESH_ACCESS).error['extensions']['reason'] == Reason.TOKEN_REVOKED


def test_a_later_rotation_is_one_statement_that_asks_the_blacklist(
    rotating, logged_in, django_assert_max_num_queries
):
    assert refresh(logged_in, REFRESH_ACCESS).errors == []  # generation 0: the row is inserted
    with django_assert_max_num_queries(2) as captured:
        assert refresh(logged_in, REFRESH_ACCESS).errors == []
    [sql] = [query['sql'] for query in captured.captured_queries]
    assert sql.startswith('UPDATE') and 'gql_djwto_jwtblacklist' in sql, sql


def test_the_first_rotation_makes_two_statements(rotating, logged_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as captured:
        assert refresh(logged_in, REFRESH_ACCESS).errors == []
    blacklist, insert = [query['sql'] for query in captured.captured_queries]
    assert blacklist.startswith('SELECT') and 'INSERT' in insert, captured.captured_queries


@pytest.mark.parametrize('rotations', [0, 1], ids=['first-token', 'rotated-token'])
def test_a_revoked_rotating_session_is_refused_whatever_its_generation(rotating, logged_in, rotations):
    for _ in range(rotations):
        assert refresh(logged_in, REFRESH_ACCESS).errors == []
    JWTBlacklist.objects.create(jti=decode(logged_in.token('refresh'))['jti'])
    for query, message in [
        (REFRESH_ACCESS, "Can't update access token."),
        (UPDATE_REFRESH, "Can't update refresh token."),
    ]:
        error = logged_in.with_refresh(query).error
        assert error['message'] == message
        assert error['extensions']['reason'] == Reason.TOKEN_REVOKED
    assert RefreshFamily.objects.filter(generation=rotations + 1).count() == 0, (
        'a revoked session never advances'
    )


def test_without_rotation_refresh_access_hands_back_the_same_token(logged_in):
    before = logged_in.token('refresh')
    assert refresh(logged_in, REFRESH_ACCESS).errors == []
    assert logged_in.token('refresh') == before
    assert RefreshFamily.objects.count() == 0


def test_a_used_up_token_is_refused_in_the_same_document_after_its_rotation(rotating, api):
    """Two refreshes in one document: the second reads the token the first issued."""
    api.login()
    result = api.with_refresh('mutation { a: refreshAccess { refresh } b: refreshAccess { refresh } }')
    assert result.errors == []
    assert RefreshFamily.objects.get().generation == 2


def test_delete_tokens_purges_expired_sessions_only(rotating, clock, api, capsys):
    api.login()
    assert refresh(api, REFRESH_ACCESS).errors == []
    clock.tick(86400 + 1)
    api.login()
    assert refresh(api, REFRESH_ACCESS).errors == []
    assert RefreshFamily.objects.count() == 2
    call_command('delete_tokens')
    assert RefreshFamily.objects.count() == 1
    assert 'Deleted 1 expired session(s)' in capsys.readouterr().out
    assert refresh(api, REFRESH_ACCESS).errors == [], 'the live session rotates on'


def test_an_extended_session_outlives_its_first_expiry_through_delete_tokens(rotating, clock, logged_in):
    assert refresh(logged_in, REFRESH_ACCESS).errors == []  # the session's row: the login's expiry
    clock.tick(3600)
    assert refresh(logged_in, UPDATE_REFRESH).errors == []  # extended: the row must say so
    assert refresh(logged_in, REFRESH_ACCESS).errors == []  # a rotation that keeps the new expiry
    clock.tick(86400 - 3600 + 1)  # past the login's expiry, within the extension
    call_command('delete_tokens')
    assert RefreshFamily.objects.count() == 1, 'the extended session is kept'
    assert refresh(logged_in, REFRESH_ACCESS).errors == [], 'and rotates on'


def test_a_rotating_refresh_inside_the_callers_transaction_is_refused(rotating, alice, rf, settings):
    from django.db import transaction

    from gql_djwto import service
    from gql_djwto.errors import Refused

    from .conftest import Api

    settings.DJWTO_MODE = 'JSON'
    api = Api(__import__('django.test', fromlist=['Client']).Client(), 'JSON')
    api.login()
    request = rf.post('/api/token/refresh/graphql/', HTTP_AUTHORIZATION=f'Bearer {api.refresh}')
    with transaction.atomic(durable=False), pytest.raises(Refused) as raised, transaction.atomic():
        service.refresh_access(request)
    assert raised.value.reason == Reason.ROTATION_IN_TRANSACTION


@pytest.mark.parametrize('mode', ['JSON', 'ONE-COOKIE', 'TWO-COOKIES'])
def test_the_service_rotates_for_a_plain_django_view(rotating, settings, alice, rf, mode):
    """No GraphQL: service.refresh_access and apply_cookies, as a REST view would call them."""
    from django.http import JsonResponse

    from gql_djwto import service

    settings.DJWTO_MODE = mode
    login_request = rf.post('/login/')
    outcome = service.login(login_request, 'alice', 'pass')
    login_response = service.apply_cookies(login_request, JsonResponse({}))
    if mode == 'JSON':
        request = rf.post('/api/token/refresh/view/', HTTP_AUTHORIZATION=f'Bearer {outcome.refresh}')
        sent = outcome.refresh
    else:
        sent = login_response.cookies['jwt_refresh'].value
        request = rf.post('/api/token/refresh/view/')
        request.COOKIES['jwt_refresh'] = sent
    answer = service.refresh_access(request)
    response = service.apply_cookies(request, JsonResponse({'msg': answer.msg}))
    rotated = answer.refresh if mode == 'JSON' else response.cookies['jwt_refresh'].value
    assert decode(rotated)['gen'] == 1 and decode(rotated)['jti'] == decode(sent)['jti']
    if mode != 'JSON':
        assert response.cookies['jwt_refresh']['path'] == '/api/token/refresh'


def test_gql_djwto_testings_client_follows_rotation(rotating, mode, alice):
    """JWTClient keeps each answer's refresh token (body or cookie), so a project's tests rotate on."""
    from gql_djwto.testing import JWTClient

    client = JWTClient()
    client.authenticate(alice)
    for _ in range(3):
        assert client.refresh().errors == []
    assert RefreshFamily.objects.get().generation == 3
