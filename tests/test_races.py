"""Races on PostgreSQL: concurrent revokes store one row, and no refresh outlives a committed revoke.

Each thread is one client with its own database connection (Django's are
per thread), closed when the thread ends. SQLite serialises writers, so
these run in the PostgreSQL pass only. Races run = the number of test ids.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.db.models.signals import post_save
from django.test import Client

from gql_djwto.models import JWTBlacklist

from .conftest import REFRESH_ACCESS, REVOKE, UPDATE_REFRESH, Api, Result, browser_like

pytestmark = [
    pytest.mark.skipif(
        django_settings.DATABASE_KIND != 'postgresql',
        reason='races need concurrent writers: run with GQL_DJWTO_TEST_DB=postgresql',
    ),
    pytest.mark.django_db(transaction=True),
]

REVOKERS = 20
MAX_REFRESHES = 300  # per refresher thread, a bound in case the revoke never commits
JOIN_TIMEOUT = 60  # seconds; a thread still running then is a hang, and fails the test
ALREADY_BLACKLISTED = 'Input jti token is already blacklisted.'
REFUSED_AFTER_REVOKE = {"Can't update access token.", "Can't update refresh token."}


@dataclass
class Sent:
    """One request of a race: when the client started it, and how it ended."""

    started: float
    result: Result | None = None
    crash: BaseException | None = None

    @property
    def server_error(self) -> bool:
        if self.crash is not None:
            return True
        return self.result.status >= 500 or b'Traceback' in self.result.response.content

    @property
    def message(self) -> str:
        errors = self.result.errors
        return errors[0]['message'] if errors else next(iter(self.result.data.values()))['msg']


def thread_client(api: Api) -> Api:
    """A client of its own for a thread, holding the same tokens and cookies as ``api``."""
    client = Client(enforce_csrf_checks=True)
    for name, morsel in api.client.cookies.items():
        client.cookies[name] = morsel.value
    return Api(client, api.mode, access=api.access, refresh=api.refresh)


def send(api: Api, query: str) -> Sent:
    sent = Sent(time.monotonic())
    try:
        sent.result = api.with_refresh(query)
    except BaseException as error:  # noqa: BLE001 - the test client re-raises what the view did not handle
        sent.crash = error
    return sent


def run_threads(targets: list[Callable[[], Any]]) -> None:
    """Run each target in its own thread, closing each thread's connections; fail on a hang."""

    def run(target: Callable[[], Any]) -> None:
        try:
            target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), 'a racing request hung'


@pytest.fixture
def commit_times():
    """Record when each blacklist row's transaction commits (monotonic clock)."""
    times: list[float] = []

    def on_save(sender, created, using, **kwargs):
        if created:
            transaction.on_commit(lambda: times.append(time.monotonic()), using=using)

    post_save.connect(on_save, sender=JWTBlacklist, weak=False)
    yield times
    post_save.disconnect(on_save, sender=JWTBlacklist)


@pytest.mark.parametrize('round_', [1, 2], ids=['round-1', 'round-2'])
def test_concurrent_revokes_of_one_token_store_one_row(mode, alice, round_, recorder):
    api = browser_like(mode)
    api.login()
    recorder.clear()
    start = threading.Barrier(REVOKERS)
    sent: list[Sent] = []

    def revoke(client: Api) -> None:
        start.wait()
        sent.append(send(client, REVOKE))

    # A default argument binds each thread's own client when the lambda is made.
    run_threads([lambda client=thread_client(api): revoke(client) for _ in range(REVOKERS)])  # noqa: B008

    assert [s for s in sent if s.server_error] == []
    messages = sorted(s.message for s in sent)
    assert messages == [ALREADY_BLACKLISTED] * (REVOKERS - 1) + ['Token successfully blacklisted.']
    conflicts = [s.result.error['extensions'] for s in sent if s.result.errors]
    assert conflicts == [{'code': 'CONFLICT', 'status': 409, 'reason': 'ALREADY_BLACKLISTED'}] * (
        REVOKERS - 1
    )
    assert JWTBlacklist.objects.count() == 1
    assert recorder.names() == ['jwt_blacklisted']


@pytest.mark.parametrize(
    'refreshers',
    [
        pytest.param([REFRESH_ACCESS] * 4, id='refreshAccess'),
        pytest.param([UPDATE_REFRESH] * 4, id='updateRefresh'),
        pytest.param([REFRESH_ACCESS, UPDATE_REFRESH] * 2, id='both'),
    ],
)
def test_no_refresh_that_starts_after_the_revoke_commits_succeeds(mode, alice, refreshers, commit_times):
    api = browser_like(mode)
    api.login()
    warmed_up = threading.Semaphore(0)  # released once per success before the revoke
    done = threading.Event()
    sent: list[Sent] = []
    revoked: list[Sent] = []

    def refresh(client: Api, query: str) -> None:
        after_commit = 0
        for _ in range(MAX_REFRESHES):
            outcome = send(client, query)
            sent.append(outcome)
            if not commit_times:
                warmed_up.release()
                if done.is_set():
                    return  # the revoke answered without committing: the asserts say why
            elif outcome.started > commit_times[0]:
                after_commit += 1
                if after_commit == 3:
                    return

    def revoke(client: Api) -> None:
        for _ in range(len(refreshers) * 2):  # let every refresher get going first
            warmed_up.acquire(timeout=JOIN_TIMEOUT)
        revoked.append(send(client, REVOKE))
        done.set()

    run_threads(
        [lambda client=thread_client(api), query=query: refresh(client, query) for query in refreshers]  # noqa: B008
        + [lambda client=thread_client(api): revoke(client)]  # noqa: B008
    )

    assert [s for s in sent + revoked if s.server_error] == []
    assert [s.message for s in revoked] == ['Token successfully blacklisted.']
    committed = commit_times[0]
    late = [s for s in sent if s.started > committed]
    assert len(late) >= len(refreshers), 'every refresher tried again after the commit'
    assert {s.message for s in late} <= REFUSED_AFTER_REVOKE, {s.message for s in late}
    assert all(s.result.error['extensions']['status'] == 500 for s in late)
    successes = [s for s in sent if not s.result.errors]
    assert successes, 'refreshes succeeded before the revoke'
    assert all(s.started < committed for s in successes)
