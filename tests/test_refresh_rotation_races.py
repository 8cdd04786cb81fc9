"""Races on PostgreSQL: 20 concurrent refreshes of one rotating token make one new generation.

Every racer sends the same refresh token at once. Exactly one advances the
session; the others are answered that same new generation (the grace),
none gets another one (no fork) and none a server error. Rounds alternate
refreshAccess and updateRefresh, and a session's first rotation (its row
inserted) and a later one (its row updated). Races run = the number of test ids.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings as django_settings

from gql_djwto.models import JWTBlacklist, RefreshFamily
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, UPDATE_REFRESH, Api, browser_like
from .test_races import Sent, run_threads, send, thread_client

pytestmark = [
    pytest.mark.skipif(
        django_settings.DATABASE_KIND != 'postgresql',
        reason='races need concurrent writers: run with GQL_DJWTO_TEST_DB=postgresql',
    ),
    pytest.mark.django_db(transaction=True),
]

RACERS = 20
ROUNDS = 50
FIELD = {REFRESH_ACCESS: 'refreshAccess', UPDATE_REFRESH: 'updateRefresh'}


def refreshed_token(api: Api, sent: Sent, query: str) -> str:
    answer = sent.result.data[FIELD[query]]
    return answer['refresh'] if api.mode == 'JSON' else sent.result.cookie('jwt_refresh').value


@pytest.mark.parametrize('round_', range(ROUNDS), ids=[f'round-{n}' for n in range(1, ROUNDS + 1)])
def test_concurrent_refreshes_of_one_token_make_one_generation(settings, alice, round_):
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True
    mode = ('JSON', 'ONE-COOKIE', 'TWO-COOKIES')[round_ % 3]
    settings.DJWTO_MODE = mode
    query = (REFRESH_ACCESS, UPDATE_REFRESH)[round_ % 2]
    api = browser_like(mode)
    api.login()
    start_generation = 0
    if (round_ // 2) % 2:  # a session that rotated once already: its row exists
        first = api.with_refresh(query)
        assert first.errors == []
        if mode == 'JSON':
            api.refresh = first.data[FIELD[query]]['refresh']
        start_generation = 1
    jti = decode(api.token('refresh'))['jti']
    start = threading.Barrier(RACERS)
    sent: list[Sent] = []

    def refresh(client: Api) -> None:
        start.wait()
        sent.append(send(client, query))

    # A default argument binds each thread's own client when the lambda is made.
    run_threads([lambda client=thread_client(api): refresh(client) for _ in range(RACERS)])  # noqa: B008

    assert [s for s in sent if s.server_error] == []
    assert [s.result.errors for s in sent if s.result.errors] == []
    generations = {decode(refreshed_token(api, s, query))['gen'] for s in sent}
    assert generations == {start_generation + 1}, 'every racer holds the one new generation'
    family = RefreshFamily.objects.get()
    assert (family.jti, family.generation) == (jti, start_generation + 1)
    assert not JWTBlacklist.objects.exists(), 'no racer was taken for a reuse'
