"""The side-by-side run: every contender in one process, interleaved round by round.

Django's test client, SQLite in memory, the MD5 hasher (bench/settings.py).
Each round sends every case once, in a new random order (seeded), so drift
(CPU frequency, other processes) falls on every case alike and no case
always follows the same one (a login leaves the CPU caches cold for
whatever comes next). Each response is checked after its timing; the number of database
queries of each case is counted once, before the timed rounds.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

USERNAME, PASSWORD = 'alice', 'pass'

GQL_LOGIN = """mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}"""
GQL_VERIFY = 'mutation { verify { msg claims } }'
GQL_REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'
GQL_PROTECTED = '{ me }'
GQL_PROTECTED_USER = '{ meUser }'
GQL_UNPROTECTED = '{ publicMe }'

GRAPHQL_JWT_LOGIN = """mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { token payload refreshExpiresIn }
}"""
GRAPHQL_JWT_VERIFY = """mutation VerifyToken($token: String!) {
  verifyToken(token: $token) { payload }
}"""
GRAPHQL_JWT_REFRESH = """mutation RefreshToken($token: String!) {
  refreshToken(token: $token) { token payload refreshExpiresIn }
}"""


@dataclass
class Case:
    """One kind of request: how to send it and how to tell it worked."""

    key: str
    label: str
    send: Callable[[], Any]
    check: Callable[[Any], None]
    samples: list[float] = field(default_factory=list)
    queries: int | None = None
    # Settings the case runs under (override_settings), each request after an
    # untimed one that reads them afresh (_timed); no other case meets them.
    settings: dict[str, Any] | None = None

    @property
    def median_us(self) -> float:
        return statistics.median(self.samples)


@dataclass(frozen=True)
class Target:
    """A ratio of two cases' medians that must not exceed ``limit``."""

    label: str
    case: str
    baseline: str
    limit: float


TARGETS = [
    Target('verify / djwto validate_access', 'gql.verify', 'djwto.validate_access', 1.0),
    Target('verify / floor', 'gql.verify', 'floor', 1.25),
    Target('refreshAccess / djwto refresh_access', 'gql.refresh_access', 'djwto.refresh_access', 1.0),
    Target('tokenAuth / djwto login', 'gql.token_auth', 'djwto.login', 1.0),
    Target('jwt_login_required query / same query unprotected', 'gql.protected', 'gql.unprotected', 1.10),
    Target('refreshAccess rotating / not rotating', 'gql.refresh_rotating', 'gql.refresh_not_rotating', 1.20),
    Target(
        '`{ meUser }` reading info.context.user / `{ me }` reading the claims',
        'gql.protected_user',
        'gql.protected',
        1.05,
    ),
    Target(
        'verify with DJWTO_REVOCATION_CACHE (Redis) / without',
        'gql.verify_revocation_cache',
        'gql.verify_no_revocation_cache',
        1.30,
    ),
]

# Shown beside the targets: the GraphQL peer.
COMPARISONS = [
    ('verify / django-graphql-jwt verifyToken', 'gql.verify', 'graphql_jwt.verify'),
    ('refreshAccess / django-graphql-jwt refreshToken', 'gql.refresh_access', 'graphql_jwt.refresh'),
    ('tokenAuth / django-graphql-jwt tokenAuth', 'gql.token_auth', 'graphql_jwt.token_auth'),
]

# The database statements each case must make: an exact count.
EXPECTED_QUERIES = {
    'gql.verify': 0,
    'gql.verify_new_token': 0,
    'gql.protected': 0,
    'gql.protected_user': 0,
    'gql.refresh_access': 1,
    'gql.verify_revocation_cache': 0,
    # A session's later rotations: one conditional UPDATE that also asks the
    # blacklist (its first rotation makes two: the blacklist, then an INSERT).
    'gql.refresh_rotating': 1,
}

# Limits on statements per refresh with sessions and revocation on: a limit, not an exact count.
MAX_QUERIES = {
    # The blacklist and the user's cutoff, in one statement (at most 2 allowed).
    'gql.refresh_revoke_all': 2,
    # The user with the blacklist row, and the cutoff (at most 3 allowed).
    'gql.refresh_reissue': 3,
}


def setup_database() -> None:
    """Create the tables in memory and the user every contender logs in as."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command('migrate', interactive=False, verbosity=0)
    User.objects.create_user(USERNAME, email='alice@example.com', password=PASSWORD)


def _graphql_body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({'query': query, 'variables': variables or {}}).encode()


def _graphql_ok(field_name: str) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        body = json.loads(response.content)
        if response.status_code != 200 or body.get('errors') or not body['data'][field_name]:
            raise AssertionError(f'{field_name}: {response.status_code} {body}')

    return check


def _json_ok(expected_key: str) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        body = json.loads(response.content)
        if response.status_code != 200 or expected_key not in body:
            raise AssertionError(f'{response.status_code} {body}')

    return check


def build_cases() -> list[Case]:
    """Log every contender in once, then describe each request the benchmark times."""
    from django.test import Client

    def client() -> Client:
        return Client()

    def graphql_post(c: Client, path: str, body: bytes, **headers: str) -> Callable[[], Any]:
        return lambda: c.post(path, body, content_type='application/json', **headers)

    credentials = {'username': USERNAME, 'password': PASSWORD}

    # djwto's own tokens, from its login view.
    tokens = client().post('/djwto/login/', credentials).json()
    djwto_access, djwto_refresh = f'Bearer {tokens["access"]}', f'Bearer {tokens["refresh"]}'

    # gql_djwto's, from tokenAuth.
    login = (
        client()
        .post('/graphql/', _graphql_body(GQL_LOGIN, credentials), content_type='application/json')
        .json()['data']['tokenAuth']
    )
    gql_access, gql_refresh = f'Bearer {login["access"]}', f'Bearer {login["refresh"]}'

    # django-graphql-jwt's token, from its tokenAuth.
    graphql_jwt_token = (
        client()
        .post(
            '/graphql-jwt/graphql/',
            _graphql_body(GRAPHQL_JWT_LOGIN, credentials),
            content_type='application/json',
        )
        .json()['data']['tokenAuth']['token']
    )

    # Distinct access tokens, more than gql_djwto keeps verified: each request misses.
    from gql_djwto.tokens import VERIFIED_TOKENS_SIZE, decode, encode

    template = decode(login['access'], 'access')
    fresh_tokens = itertools.cycle(
        [f'Bearer {encode({**template, "jti": str(uuid.uuid4())})}' for _ in range(2 * VERIFIED_TOKENS_SIZE)]
    )

    # A client that follows rotation: each answer's refresh token is the next one it sends.
    rotating = {'token': gql_refresh}

    def send_rotating() -> Any:
        return rotating_client.post(
            '/api/token/refresh/graphql/',
            _graphql_body(GQL_REFRESH_ACCESS),
            content_type='application/json',
            HTTP_AUTHORIZATION=rotating['token'],
        )

    def follow_rotation(response: Any) -> None:
        _graphql_ok('refreshAccess')(response)
        rotating['token'] = f'Bearer {json.loads(response.content)["data"]["refreshAccess"]["refresh"]}'

    floor_client, djwto_client, rotating_client = client(), client(), client()
    gql_client, graphql_jwt_client = client(), client()
    # gql_djwto's refreshAccess with the same refresh token each time (the rows that do not rotate).
    refresh_access = graphql_post(
        gql_client,
        '/api/token/refresh/graphql/',
        _graphql_body(GQL_REFRESH_ACCESS),
        HTTP_AUTHORIZATION=gql_refresh,
    )
    login_client = client()
    return [
        Case(
            'floor',
            'floor: bare view + PyJWT decode',
            lambda: floor_client.post('/floor/', HTTP_AUTHORIZATION=gql_access),
            _json_ok('claims'),
        ),
        Case(
            'djwto.validate_access',
            'djwto REST validate_access',
            lambda: djwto_client.post('/djwto/validate_access/', HTTP_AUTHORIZATION=djwto_access),
            _json_ok('msg'),
        ),
        Case(
            'djwto.refresh_access',
            'djwto REST refresh_access',
            lambda: djwto_client.post(
                '/djwto/api/token/refresh/refresh_access/', HTTP_AUTHORIZATION=djwto_refresh
            ),
            _json_ok('access'),
        ),
        Case(
            'djwto.login',
            'djwto REST login',
            lambda: login_client.post('/djwto/login/', credentials),
            _json_ok('access'),
        ),
        Case(
            'gql.verify',
            'gql_djwto verify',
            graphql_post(gql_client, '/graphql/', _graphql_body(GQL_VERIFY), HTTP_AUTHORIZATION=gql_access),
            _graphql_ok('verify'),
        ),
        Case(
            'gql.verify_new_token',
            'gql_djwto verify, a new token each time',
            lambda: gql_client.post(
                '/graphql/',
                _graphql_body(GQL_VERIFY),
                content_type='application/json',
                HTTP_AUTHORIZATION=next(fresh_tokens),
            ),
            _graphql_ok('verify'),
        ),
        Case(
            'gql.refresh_access',
            'gql_djwto refreshAccess',
            refresh_access,
            _graphql_ok('refreshAccess'),
        ),
        Case(
            'gql.refresh_not_rotating',
            'gql_djwto refreshAccess, rotation off (paired run)',
            refresh_access,
            _graphql_ok('refreshAccess'),
            settings={'DJWTO_ROTATE_REFRESH_TOKENS': False},
        ),
        Case(
            'gql.refresh_rotating',
            'gql_djwto refreshAccess, rotation on (paired run)',
            send_rotating,
            follow_rotation,
            settings={'DJWTO_ROTATE_REFRESH_TOKENS': True},
        ),
        Case(
            'gql.refresh_revoke_all',
            "gql_djwto refreshAccess, DJWTO_REVOKE_ALL (the user's cutoff asked too)",
            refresh_access,
            _graphql_ok('refreshAccess'),
            settings={'DJWTO_REVOKE_ALL': True},
        ),
        Case(
            'gql.refresh_reissue',
            "gql_djwto refreshAccess, DJWTO_REFRESH_CLAIMS = 'reissue' and DJWTO_REVOKE_ALL",
            refresh_access,
            _graphql_ok('refreshAccess'),
            settings={'DJWTO_REFRESH_CLAIMS': 'reissue', 'DJWTO_REVOKE_ALL': True},
        ),
        Case(
            'gql.token_auth',
            'gql_djwto tokenAuth',
            graphql_post(login_client, '/graphql/', _graphql_body(GQL_LOGIN, credentials)),
            _graphql_ok('tokenAuth'),
        ),
        Case(
            'gql.protected',
            'gql_djwto `{ me }` (jwt_login_required)',
            graphql_post(
                gql_client, '/graphql/', _graphql_body(GQL_PROTECTED), HTTP_AUTHORIZATION=gql_access
            ),
            _graphql_ok('me'),
        ),
        Case(
            'gql.protected_user',
            'gql_djwto `{ meUser }` (same, reading info.context.user)',
            graphql_post(
                gql_client, '/graphql/', _graphql_body(GQL_PROTECTED_USER), HTTP_AUTHORIZATION=gql_access
            ),
            _graphql_ok('meUser'),
        ),
        Case(
            'gql.unprotected',
            'gql_djwto `{ publicMe }` (same, unprotected)',
            graphql_post(
                gql_client, '/graphql/', _graphql_body(GQL_UNPROTECTED), HTTP_AUTHORIZATION=gql_access
            ),
            _graphql_ok('publicMe'),
        ),
        *revocation_cases(gql_client, gql_access),
        Case(
            'graphql_jwt.verify',
            'django-graphql-jwt verifyToken',
            graphql_post(
                graphql_jwt_client,
                '/graphql-jwt/graphql/',
                _graphql_body(GRAPHQL_JWT_VERIFY, {'token': graphql_jwt_token}),
            ),
            _graphql_ok('verifyToken'),
        ),
        Case(
            'graphql_jwt.refresh',
            'django-graphql-jwt refreshToken',
            graphql_post(
                graphql_jwt_client,
                '/graphql-jwt/graphql/',
                _graphql_body(GRAPHQL_JWT_REFRESH, {'token': graphql_jwt_token}),
            ),
            _graphql_ok('refreshToken'),
        ),
        Case(
            'graphql_jwt.token_auth',
            'django-graphql-jwt tokenAuth',
            graphql_post(
                login_client, '/graphql-jwt/graphql/', _graphql_body(GRAPHQL_JWT_LOGIN, credentials)
            ),
            _graphql_ok('tokenAuth'),
        ),
    ]


def redis_answers() -> bool:
    """Whether the benchmark's revocation cache (Redis) can be reached."""
    from django.core.cache import caches

    try:
        caches['revocation'].get('ping')
    except Exception:  # noqa: BLE001 - whatever the Redis client raises
        return False
    return True


def revocation_cases(gql_client: Any, gql_access: str) -> list[Case]:
    """verify with and without DJWTO_REVOCATION_CACHE, each under its own settings; none without Redis."""
    if not redis_answers():
        print('Revocation rows left out: no Redis at BENCH_REDIS_URL (redis://127.0.0.1:6379/8).')
        return []
    body = _graphql_body(GQL_VERIFY)

    def verify() -> Any:
        return gql_client.post(
            '/graphql/', body, content_type='application/json', HTTP_AUTHORIZATION=gql_access
        )

    return [
        Case(
            'gql.verify_no_revocation_cache',
            'gql_djwto verify (settings swapped in, as the next row)',
            verify,
            _graphql_ok('verify'),
            settings={'DJWTO_REVOCATION_CACHE': None},
        ),
        Case(
            'gql.verify_revocation_cache',
            'gql_djwto verify, DJWTO_REVOCATION_CACHE in Redis',
            verify,
            _graphql_ok('verify'),
            settings={'DJWTO_REVOCATION_CACHE': 'revocation', 'DJWTO_REVOKE_ALL': True},
        ),
    ]


def count_queries(cases: list[Case]) -> None:
    """Record how many database queries one request of each case makes."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    for case in cases:
        with override_settings(**(case.settings or {})):
            case.check(case.send())  # settings read and, for rotation, its row written
            with CaptureQueriesContext(connection) as captured:
                response = case.send()
        case.check(response)
        case.queries = len(captured.captured_queries)


def _timed(case: Case) -> float:
    """Send one request of ``case``, check it, and return how long it took in µs.

    A case with settings of its own runs under them, after one untimed
    request (the first after a settings change reads them again).
    """
    from django.test import override_settings

    clock = time.perf_counter_ns
    with override_settings(**case.settings) if case.settings else contextlib.nullcontext():
        if case.settings:
            case.check(case.send())
        start = clock()
        response = case.send()
        elapsed = clock() - start
    case.check(response)
    return elapsed / 1000


def run_rounds(cases: list[Case], rounds: int, warmup: int, seed: int = 2024) -> None:
    """Time ``rounds`` rounds of every case after ``warmup`` untimed ones.

    Cases with settings of their own run each request under them (_timed),
    so that no other case meets a settings change.
    """
    shuffle = random.Random(seed).shuffle
    order = list(cases)
    for number in range(warmup + rounds):
        shuffle(order)
        for case in order:
            elapsed = _timed(case)
            if number >= warmup:
                case.samples.append(elapsed)
        if number == warmup:
            gc.collect()


@dataclass
class Report:
    """The medians, ratios and query counts of one in-process run."""

    cases: dict[str, Case]
    rounds: int
    warmup: int
    seconds: float

    def ratio(self, case: str, baseline: str) -> float:
        return self.cases[case].median_us / self.cases[baseline].median_us

    def target_rows(self) -> list[tuple[Target, float, bool]]:
        rows = []
        for target in TARGETS:
            if target.case not in self.cases or target.baseline not in self.cases:
                continue  # rows left out (no Redis): said when the cases were built
            value = self.ratio(target.case, target.baseline)
            rows.append((target, value, value <= target.limit))
        return rows

    def query_failures(self) -> list[str]:
        return [
            f'{key}: {self.cases[key].queries} queries, expected {expected}'
            for key, expected in EXPECTED_QUERIES.items()
            if key in self.cases and self.cases[key].queries != expected
        ] + [
            f'{key}: {self.cases[key].queries} queries, at most {limit}'
            for key, limit in MAX_QUERIES.items()
            if key in self.cases and self.cases[key].queries > limit
        ]

    @property
    def all_met(self) -> bool:
        return all(met for _, _, met in self.target_rows()) and not self.query_failures()

    def markdown(self) -> str:
        lines = [
            '| request | median µs | p90 µs | × floor | DB queries |',
            '|---|---:|---:|---:|---:|',
        ]
        floor = self.cases['floor'].median_us
        for case in self.cases.values():
            p90 = statistics.quantiles(case.samples, n=10)[-1]
            lines.append(
                f'| {case.label} | {case.median_us:.0f} | {p90:.0f} | '
                f'{case.median_us / floor:.2f} | {case.queries} |'
            )
        lines += ['', '| target (ratio of medians) | limit | measured | met |', '|---|---:|---:|:---:|']
        for target, value, met in self.target_rows():
            lines.append(
                f'| {target.label} | ≤ {target.limit:.2f} | {value:.3f} | {"yes" if met else "**NO**"} |'
            )
        for key, expected in EXPECTED_QUERIES.items():
            if key not in self.cases:
                continue
            found = self.cases[key].queries
            lines.append(
                f'| DB queries of {self.cases[key].label} | = {expected} | {found} | '
                f'{"yes" if found == expected else "**NO**"} |'
            )
        for key, limit in MAX_QUERIES.items():
            if key not in self.cases:
                continue
            found = self.cases[key].queries
            lines.append(
                f'| DB queries of {self.cases[key].label} | ≤ {limit} | {found} | '
                f'{"yes" if found <= limit else "**NO**"} |'
            )
        lines += ['', '| gql_djwto against its GraphQL peer | ratio of medians |', '|---|---:|']
        for label, case, baseline in COMPARISONS:
            lines.append(f'| {label} | {self.ratio(case, baseline):.3f} |')
        return '\n'.join(lines)


def run(rounds: int = 1000, warmup: int = 100) -> Report:
    """Run the whole in-process comparison; Django must be set up with bench.settings."""
    setup_database()
    cases = build_cases()
    count_queries(cases)
    started = time.monotonic()
    run_rounds([case for case in cases if case.settings is None], rounds, warmup)
    run_rounds([case for case in cases if case.settings is not None], rounds, warmup)
    return Report({case.key: case for case in cases}, rounds, warmup, time.monotonic() - started)
