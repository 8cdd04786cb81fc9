"""schemathesis in GraphQL mode against the running demo: no generated document gets a 5xx.

The demo runs as a new user starts it (``python -m schema_demo``, JSON mode,
its own SQLite file). schemathesis reads its schema by introspection and
generates documents for every query and mutation: valid ones and invalid
ones, without a token, with the access token and with the refresh token.
The run is derandomized and bounded by ``REQUESTS``; the count sent and the
statuses seen are printed (``pytest -s``) and asserted.
"""

from __future__ import annotations

from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from .processes import QUICK_PASSWORDS, ServerProcess, demo_environment, free_port, prepared_demo_database

pytestmark = pytest.mark.server

REQUESTS = 1000  # documents generated and sent
# Each failed login runs the demo's real password hasher (~0.3 s); after this many
# the address is throttled, and later logins answer 429 without hashing.
LOGIN_FAILURES = 10
HTTP_TIMEOUT = 10


@pytest.fixture(scope='module')
def demo_url(request, tmp_path_factory):
    """Start ``python -m schema_demo`` on a free port; stop it after the module."""
    folder = tmp_path_factory.mktemp('schemathesis')
    port = free_port()
    demo = ServerProcess.start(
        ['-m', 'schema_demo', '--port', str(port)],
        demo_environment(
            DEMO_DATABASE=str(prepared_demo_database(request, folder / 'demo.sqlite3')),
            **QUICK_PASSWORDS,
            DJWTO_MODE='JSON',
            DJWTO_LOGIN_FAILURES_PER_ADDRESS=str(LOGIN_FAILURES),
        ),
        folder / 'demo.log',
        port,
    )
    yield demo.url
    demo.stop()


def test_generated_documents_never_get_a_server_error(demo_url):
    login = requests.post(
        demo_url + '/graphql/',
        timeout=HTTP_TIMEOUT,
        json={
            'query': 'mutation { tokenAuth(username: "bob", password: "pass") { access refresh } }',
        },
    ).json()['data']['tokenAuth']
    schema = schemathesis.graphql.from_url(demo_url + '/graphql/', timeout=HTTP_TIMEOUT)
    cases = st.one_of(
        [
            schema.as_strategy(generation_mode=generation_mode, headers=headers)
            for generation_mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            for headers in (
                None,
                {'Authorization': f'Bearer {login["access"]}'},
                {'Authorization': f'Bearer {login["refresh"]}'},
            )
        ]
    )
    session = requests.Session()  # one kept-alive connection (the demo's server sets TCP_NODELAY)
    statuses: Counter[int] = Counter()
    server_errors: list[str] = []

    @hypothesis_settings(
        max_examples=REQUESTS,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def send(case):
        response = case.call(session=session, timeout=HTTP_TIMEOUT)
        statuses[response.status_code] += 1
        if response.status_code >= 500 or 'Traceback' in response.text:
            server_errors.append(f'{response.status_code} for {case.body!r}:\n{response.text[:2000]}')

    send()

    sent = sum(statuses.values())
    print(
        f'\nschemathesis sent {sent} documents; statuses {dict(sorted(statuses.items()))}; '
        f'5xx seen {len(server_errors)}'
    )
    assert sent >= 500
    assert server_errors == []
