"""Real HTTP: gunicorn (2 sync workers) on 127.0.0.1, loaded by wrk for a bounded time.

Two servers run one after the other, each on its own SQLite file in a
temporary directory:

- the demo project as shipped (``schema_demo.wsgi:application``, DEBUG off);
  it logs every signal, as djwto's documentation does, to the server's log;
- the benchmark project (``bench.wsgi:application``), where gql_djwto,
  djwto's REST views and django-graphql-jwt sit behind the same middleware.

Each operation first gets one checked answer, then wrk sends it from one
thread over a few connections for ``duration`` seconds; a Lua hook counts
answers that are not HTTP 200 or that carry GraphQL ``errors``. wrk only
ever targets 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = '127.0.0.1'
ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 4
CREDENTIALS = {'username': 'alice', 'password': 'pass'}

LOGIN = """mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}"""
VERIFY = 'mutation { verify { msg claims } }'
REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'
GRAPHQL_JWT_LOGIN = """mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { token }
}"""
GRAPHQL_JWT_VERIFY = 'mutation VerifyToken($token: String!) { verifyToken(token: $token) { payload } }'
GRAPHQL_JWT_REFRESH = """mutation RefreshToken($token: String!) {
  refreshToken(token: $token) { token payload refreshExpiresIn }
}"""

# Counts the answers that are not a clean success, and reports them at the end.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = {content_type}
{authorization}
local failures = 0
local first = nil
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) or string.find(body, '"error"', 1, true) then
    failures = failures + 1
    if first == nil then first = status .. " " .. string.sub(body, 1, 200) end
  end
end
function done(summary, latency, requests)
  io.write(string.format("FAILURES %d\\n", failures))
  if first ~= nil then io.write("FIRST_FAILURE " .. first .. "\\n") end
end
"""


@dataclass
class LoadResult:
    """One wrk run."""

    server: str
    label: str
    requests_per_second: float
    median_ms: float
    p99_ms: float
    requests: int
    failures: int


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _post(url: str, body: bytes, content_type: str, authorization: str | None = None) -> Any:
    request = urllib.request.Request(url, data=body, method='POST')
    request.add_header('Content-Type', content_type)
    if authorization:
        request.add_header('Authorization', authorization)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _graphql(url: str, query: str, variables: dict | None = None, authorization: str | None = None) -> Any:
    body = json.dumps({'query': query, 'variables': variables or {}}).encode()
    answer = _post(url, body, 'application/json', authorization)
    if answer.get('errors'):
        raise RuntimeError(f'{url}: {answer}')
    return answer['data']


class Server:
    """A gunicorn serving ``app`` with ``env``, stopped on exit."""

    def __init__(self, name: str, app: str, env: dict[str, str], workdir: Path) -> None:
        self.name, self.app, self.env = name, app, env
        self.port = _free_port()
        self.log = workdir / f'{name}.log'
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f'http://{HOST}:{self.port}'

    def __enter__(self) -> Server:  # noqa: PYI034 - Python 3.10 has no typing.Self
        gunicorn = Path(sys.executable).with_name('gunicorn')
        with open(self.log, 'wb') as log:
            self.process = subprocess.Popen(
                [
                    str(gunicorn),
                    self.app,
                    '--workers',
                    str(WORKERS),
                    '--bind',
                    f'{HOST}:{self.port}',
                    '--log-level',
                    'warning',
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f'gunicorn {self.app} did not start; see {self.log}:\n{self.log.read_text()}')

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _prepare_database(env: dict[str, str], settings_module: str, create_user: str) -> None:
    """Migrate the server's SQLite file and create the user, in a separate process."""
    code = (
        'import django; django.setup()\n'
        'from django.core.management import call_command\n'
        "call_command('migrate', interactive=False, verbosity=0)\n"
        f'{create_user}\n'
    )
    subprocess.run(
        [sys.executable, '-c', code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**env, 'DJANGO_SETTINGS_MODULE': settings_module},
    )


WARMUP_SECONDS = 2


def wrk(
    server: Server,
    label: str,
    path: str,
    body: bytes,
    authorization: str | None,
    duration: int,
    workdir: Path,
) -> LoadResult:
    """Warm up, then load ``path`` with one request body for ``duration`` seconds."""
    _wrk(server, label, path, body, authorization, WARMUP_SECONDS, workdir)
    return _wrk(server, label, path, body, authorization, duration, workdir)


def _wrk(
    server: Server,
    label: str,
    path: str,
    body: bytes,
    authorization: str | None,
    duration: int,
    workdir: Path,
) -> LoadResult:
    """Load ``path`` with one request body for ``duration`` seconds and parse wrk's report."""
    script = workdir / 'request.lua'
    script.write_text(
        WRK_SCRIPT.format(
            body=_lua_string(body.decode()),
            content_type=_lua_string('application/json'),
            authorization=(
                f'wrk.headers["Authorization"] = {_lua_string(authorization)}' if authorization else ''
            ),
        )
    )
    url = server.base + path
    assert url.startswith(f'http://{HOST}:'), url  # loopback only
    completed = subprocess.run(
        [
            'wrk',
            '--threads',
            '1',
            '--connections',
            str(CONNECTIONS),
            '--duration',
            f'{duration}s',
            '--timeout',
            '5s',
            '--latency',
            '--script',
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
    )
    out = completed.stdout
    if completed.returncode != 0 or 'Requests/sec' not in out:
        raise RuntimeError(f'wrk failed for {label}:\n{out}\n{completed.stderr}')
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    requests = int(re.search(r'(\d+) requests in', out).group(1))
    failures = int(re.search(r'FAILURES (\d+)', out).group(1))
    if failures:
        first = re.search(r'FIRST_FAILURE (.*)', out)
        print(f'  {label}: {failures} failed answers, first: {first.group(1) if first else "?"}')
    return LoadResult(server.name, label, rps, _latency(out, '50%'), _latency(out, '99%'), requests, failures)


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf'^\s*{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$', out, re.MULTILINE)
    if not match:
        return float('nan')
    value, unit = float(match.group(1)), match.group(2)
    return value * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[unit]


def _base_env(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(('DJWTO_', 'DJANGO_'))}
    env['DJWTO_SIGNING_KEY'] = 'bench-signing-key-long-enough-for-hs256-0123456789'
    env['PYTHONPATH'] = str(ROOT)
    return env


def run(duration: int = 10) -> list[LoadResult]:
    """Run every load test and return the results."""
    if not shutil.which('wrk'):
        raise RuntimeError('wrk is not installed: apt-get install wrk')
    results: list[LoadResult] = []
    with tempfile.TemporaryDirectory(prefix='gql-djwto-bench-') as tmp:
        workdir = Path(tmp)

        # The demo project, as shipped (but DEBUG, which keeps every query in memory).
        demo_env = {
            **_base_env(workdir),
            'DJANGO_SETTINGS_MODULE': 'schema_demo.settings',
            'DEMO_DATABASE': str(workdir / 'demo.sqlite3'),
            'DEMO_DEBUG': '0',
        }
        _prepare_database(
            demo_env,
            'schema_demo.settings',
            'from schema_demo.__main__ import create_demo_users; create_demo_users()',
        )
        with Server('demo', 'schema_demo.wsgi:application', demo_env, workdir) as demo:
            tokens = _graphql(demo.base + '/graphql/', LOGIN, CREDENTIALS)['tokenAuth']
            access, refresh = f'Bearer {tokens["access"]}', f'Bearer {tokens["refresh"]}'
            _graphql(demo.base + '/graphql/', VERIFY, authorization=access)
            _graphql(demo.base + '/api/token/refresh/graphql/', REFRESH_ACCESS, authorization=refresh)
            results.append(
                wrk(demo, 'gql_djwto verify', '/graphql/', _body(VERIFY), access, duration, workdir)
            )
            results.append(
                wrk(
                    demo,
                    'gql_djwto refreshAccess',
                    '/api/token/refresh/graphql/',
                    _body(REFRESH_ACCESS),
                    refresh,
                    duration,
                    workdir,
                )
            )

        # The benchmark project: every contender behind the same middleware.
        bench_env = {
            **_base_env(workdir),
            'DJANGO_SETTINGS_MODULE': 'bench.settings',
            'BENCH_DB': 'sqlite',
            'BENCH_SQLITE_PATH': str(workdir / 'bench.sqlite3'),
        }
        _prepare_database(
            bench_env,
            'bench.settings',
            (
                'from django.contrib.auth.models import User\n'
                "User.objects.create_user('alice', password='pass')"
            ),
        )
        with Server('bench', 'bench.wsgi:application', bench_env, workdir) as bench:
            tokens = _graphql(bench.base + '/graphql/', LOGIN, CREDENTIALS)['tokenAuth']
            access, refresh = f'Bearer {tokens["access"]}', f'Bearer {tokens["refresh"]}'
            peer_token = _graphql(bench.base + '/graphql-jwt/graphql/', GRAPHQL_JWT_LOGIN, CREDENTIALS)[
                'tokenAuth'
            ]['token']
            rest = _post(
                bench.base + '/djwto/login/',
                '&'.join(f'{k}={v}' for k, v in CREDENTIALS.items()).encode(),
                'application/x-www-form-urlencoded',
            )
            cases = [
                ('gql_djwto verify', '/graphql/', _body(VERIFY), access),
                ('gql_djwto refreshAccess', '/api/token/refresh/graphql/', _body(REFRESH_ACCESS), refresh),
                (
                    'django-graphql-jwt verifyToken',
                    '/graphql-jwt/graphql/',
                    _body(GRAPHQL_JWT_VERIFY, {'token': peer_token}),
                    None,
                ),
                (
                    'django-graphql-jwt refreshToken',
                    '/graphql-jwt/graphql/',
                    _body(GRAPHQL_JWT_REFRESH, {'token': peer_token}),
                    None,
                ),
                ('djwto REST validate_access', '/djwto/validate_access/', b'', f'Bearer {rest["access"]}'),
                (
                    'djwto REST refresh_access',
                    '/djwto/api/token/refresh/refresh_access/',
                    b'',
                    f'Bearer {rest["refresh"]}',
                ),
            ]
            for label, path, body, authorization in cases:
                results.append(wrk(bench, label, path, body, authorization, duration, workdir))
    return results


def _body(query: str, variables: dict | None = None) -> bytes:
    return json.dumps({'query': query, 'variables': variables or {}}).encode()


def markdown(results: list[LoadResult], duration: int) -> str:
    lines = [
        (
            f'gunicorn {WORKERS} sync workers on {HOST}; wrk 1 thread, {CONNECTIONS} connections, '
            f'{duration} s per row after {WARMUP_SECONDS} s of warm-up, all on this one machine '
            '(wrk takes CPU from the workers). Failed: answers not HTTP 200 or carrying errors.'
        ),
        '',
        '| server | request | requests/s | median ms | p99 ms | requests | failed |',
        '|---|---|---:|---:|---:|---:|---:|',
    ]
    for result in results:
        lines.append(
            f'| {result.server} | {result.label} | {result.requests_per_second:.0f} | '
            f'{result.median_ms:.2f} | {result.p99_ms:.2f} | {result.requests} | {result.failures} |'
        )
    return '\n'.join(lines)
