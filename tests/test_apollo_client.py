"""An Apollo Client 4 application renews its access token by itself (examples/apollo/).

The demo runs as a real HTTP server with a three-second access token, in each
mode (CSRF on in the cookie modes), the three at once; ``node scenario.mjs`` drives four
clients of each and prints every request they sent (see that file). The real
npm packages are installed from the example's lock file (tests/node_packages.py).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .node_packages import require_node, runnable_copy
from .processes import REPO
from .test_demo_http import GRAPHQL, REFRESH_GRAPHQL, Demo, start_demo

pytestmark = pytest.mark.server

EXAMPLE = REPO / 'examples' / 'apollo'
# Long enough to read `me` right after login, short enough to wait out.
ACCESS_LIFETIME = 3
SCENARIO_TIMEOUT = 60
LOG_TIMEOUT = 5  # seconds for runserver to log the last requests it answered
MODES = ['JSON', 'ONE-COOKIE', 'TWO-COOKIES']
# How an access token that ran out reaches the server: in a bearer header as
# it is; in a cookie mode not at all, since the jar drops the cookie at its
# Max-Age, the token's lifetime.
RAN_OUT = {'JSON': 'TOKEN_EXPIRED', 'ONE-COOKIE': 'TOKEN_MISSING', 'TWO-COOKIES': 'TOKEN_MISSING'}
ACCESS_COOKIES = {'ONE-COOKIE': ['jwt_access'], 'TWO-COOKIES': ['jwt_access_payload', 'jwt_access_token']}


@dataclass
class Run:
    """One run of scenario.mjs against a demo in ``mode``."""

    mode: str
    demo: Demo
    report: dict[str, Any]

    def operations(self, case: str) -> list[str]:
        return [request['operation'] for request in self.report[case]['requests']]

    def requests(self, case: str, operation: str) -> list[dict[str, Any]]:
        return [request for request in self.report[case]['requests'] if request['operation'] == operation]

    def every_request(self) -> list[dict[str, Any]]:
        return [request for case in self.report.values() for request in case['requests']]


@pytest.fixture(scope='module')
def runs(request, tmp_path_factory) -> Iterator[dict[str, Run]]:
    """One run per mode, the three side by side: each spends most of its time waiting out tokens."""
    require_node()
    started = {}
    try:
        for mode in MODES:
            folder = tmp_path_factory.mktemp(f'apollo-{mode}')
            scripts = runnable_copy(EXAMPLE, folder)
            demo = start_demo(
                request,
                folder / 'demo.sqlite3',
                folder / 'demo.log',
                mode,
                DJWTO_ACCESS_TOKEN_LIFETIME=str(ACCESS_LIFETIME),
            )
            started[mode] = (
                demo,
                subprocess.Popen(
                    ['node', 'scenario.mjs', demo.url + '/', mode, str(ACCESS_LIFETIME)],
                    cwd=scripts,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        done = {}
        for mode, (demo, scenario) in started.items():
            stdout, stderr = scenario.communicate(timeout=SCENARIO_TIMEOUT)
            assert scenario.returncode == 0, f'{stderr}\n{stdout}\n{demo.output()}'
            done[mode] = Run(mode, demo, json.loads(stdout))
        yield done
    finally:
        for _, scenario in started.values():
            scenario.kill()
            scenario.communicate()


@pytest.fixture(params=MODES)
def run(request, runs) -> Run:
    return runs[request.param]


def test_expired_access_token_is_refreshed_once_and_the_query_retried(run):
    assert run.report['expiry']['outcomes'] == ['alice', 'alice']
    assert run.operations('expiry') == ['TokenAuth', 'Me', 'Me', 'RefreshAccess', 'Me']
    assert [request['reasons'] for request in run.report['expiry']['requests']] == [
        [],
        [],
        [RAN_OUT[run.mode]],
        [],
        [],
    ]


def test_queries_refused_together_share_one_refresh(run):
    assert run.report['concurrent']['outcomes'] == ['alice'] * 4
    counts = Counter(run.operations('concurrent'))
    assert counts == {'TokenAuth': 1, 'Me': 1 + 3 + 3, 'RefreshAccess': 1}
    # The order of answers is the server's: a refusal may even be read after the refresh.
    answers = Counter(tuple(request['reasons']) for request in run.requests('concurrent', 'Me'))
    assert answers == {(): 1 + 3, (RAN_OUT[run.mode],): 3}


def test_refusal_arriving_after_the_refresh_is_retried_without_another(run):
    assert run.report['late']['outcomes'] == ['alice'] * 3
    operations = run.operations('late')
    assert Counter(operations) == {'TokenAuth': 1, 'Me': 1 + 2, 'LateMe': 2, 'RefreshAccess': 1}
    assert operations.index('RefreshAccess') < operations.index('LateMe'), (
        'LateMe was refused after the refresh'
    )
    late_refusal, late_retry = run.requests('late', 'LateMe')
    assert (late_refusal['reasons'], late_retry['reasons']) == ([RAN_OUT[run.mode]], [])


def test_revoked_refresh_token_asks_to_log_in_again_without_looping(run):
    assert run.report['revoked']['outcomes'] == [
        'alice',
        'Token successfully blacklisted.',
        'LoginAgainError: TOKEN_REVOKED',  # the refresh was refused
        'LoginAgainError: null',  # the session knows it is over: no refresh asked
    ]
    assert run.operations('revoked') == ['TokenAuth', 'Me', 'Revoke', 'Me', 'RefreshAccess', 'Me']
    (refused,) = run.requests('revoked', 'RefreshAccess')
    assert refused['reasons'] == ['TOKEN_REVOKED']


def test_refresh_is_sent_to_the_refresh_path_and_operations_to_graphql(run):
    for request in run.every_request():
        expected = REFRESH_GRAPHQL if request['operation'] in ('RefreshAccess', 'Revoke') else GRAPHQL
        assert request['path'] == expected, request


@pytest.mark.parametrize('run', ['JSON'], indirect=True)
def test_json_mode_sends_the_access_token_to_operations_and_the_refresh_token_to_refresh(run):
    *in_session, after_refusal = run.every_request()
    sent = {
        (request['operation'], request['bearer'], tuple(request['cookies']), request['csrf'])
        for request in in_session
    }
    assert sent == {
        ('TokenAuth', None, (), False),
        ('Me', 'access', (), False),
        ('LateMe', 'access', (), False),
        ('RefreshAccess', 'refresh', (), False),
        ('Revoke', 'refresh', (), False),
    }
    assert (after_refusal['operation'], after_refusal['bearer']) == ('Me', None), 'tokens forgotten'


@pytest.mark.parametrize('run', ['ONE-COOKIE', 'TWO-COOKIES'], indirect=True)
def test_cookie_modes_send_the_refresh_cookie_only_to_its_path_and_csrf_after_login(run):
    for request in run.every_request():
        assert request['bearer'] is None, request
        assert request['csrf'] is (request['operation'] != 'TokenAuth'), request
        has_refresh_cookie = 'jwt_refresh' in request['cookies']
        assert has_refresh_cookie is (request['operation'] in ('RefreshAccess', 'Revoke')), request
    granted = [request for request in run.requests('expiry', 'Me') if not request['reasons']]
    assert all(set(ACCESS_COOKIES[run.mode]) <= set(request['cookies']) for request in granted)


def test_server_answered_exactly_the_requests_the_clients_counted(run):
    sent = run.every_request()
    expected = Counter(request['path'] for request in sent)
    # expiry, concurrent, late, revoked
    assert expected == {GRAPHQL: 4 + 8 + 6 + 4, REFRESH_GRAPHQL: 1 + 1 + 1 + 2}
    assert served_posts(run.demo, len(sent)) == expected
    signals = Counter(
        line for line in run.demo.output().splitlines() if line.startswith('schema_demo: sender: ')
    )
    assert signals['schema_demo: sender: RefreshAccessView'] == 3, 'the three refreshes that were granted'
    assert signals['schema_demo: sender: GetTokensView'] == 4


def served_posts(demo: Demo, count: int) -> Counter[str]:
    """The paths of the POSTs runserver logged, once it logged ``count`` (it logs after answering)."""
    deadline = time.monotonic() + LOG_TIMEOUT
    while True:
        paths = Counter(
            line.split('"POST ', 1)[1].split(' ', 1)[0]
            for line in demo.output().splitlines()
            if '"POST ' in line
        )
        if sum(paths.values()) >= count or time.monotonic() > deadline:
            return paths
        time.sleep(0.05)
