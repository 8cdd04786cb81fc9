"""Scale on PostgreSQL: refreshAccess against a big blacklist, and purging it.

Run by ``python -m bench --scale`` in a process of its own (``BENCH_DB`` is
read when Django's settings load):

1. refreshAccess timed with an empty blacklist;
2. ``rows`` expired rows inserted by one ``INSERT ... SELECT`` (a uuid4 jti
   and a real refresh token's text each), then ANALYZE;
3. refreshAccess timed again, and the blacklist query's plan;
4. ``delete_tokens`` run in a fresh process that reports its peak RSS
   (VmHWM) against its RSS once Django was set up, so only the purge counts;
5. refreshAccess timed with the emptied table, and a smaller purge, whose
   peak shows that memory does not grow with the number of rows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get('BENCH_PGDATABASE', 'gql_djwto_bench')
REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'
LOGIN = """mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}"""


def _memory_kib(field: str) -> int:
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(f'{field} not in /proc/self/status')


def ensure_database() -> None:
    """Create the benchmark's own PostgreSQL database if it does not exist yet."""
    import psycopg

    with psycopg.connect(
        host=os.environ.get('PGHOST', '127.0.0.1'),
        port=os.environ.get('PGPORT', '5432'),
        user=os.environ.get('PGUSER', 'postgres'),
        dbname='postgres',
        autocommit=True,
    ) as connection:
        exists = connection.execute('SELECT 1 FROM pg_database WHERE datname = %s', [DATABASE]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def _setup_django() -> None:
    os.environ['BENCH_DB'] = 'postgresql'
    os.environ['BENCH_PGDATABASE'] = DATABASE
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bench.settings')
    import django

    django.setup()


def purge() -> dict[str, Any]:
    """Run delete_tokens once; return rows left, time and memory (this process only)."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from gql_djwto.models import JWTBlacklist

    connection.ensure_connection()
    before = JWTBlacklist.objects.count()
    rss_before = _memory_kib('VmRSS')
    started = time.monotonic()
    with open(os.devnull, 'w') as devnull:
        call_command('delete_tokens', stdout=devnull)
    seconds = time.monotonic() - started
    return {
        'rows_before': before,
        'rows_after': JWTBlacklist.objects.count(),
        'seconds': seconds,
        'rss_before_kib': rss_before,
        'peak_rss_kib': _memory_kib('VmHWM'),
    }


def _fill(rows: int, token: str) -> float:
    from django.db import connection

    table = 'gql_djwto_jwtblacklist'
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (jti, token, expires, created_at) '  # noqa: S608 - a constant table name
            "SELECT gen_random_uuid()::text, %s, now() - interval '1 hour', now() - interval '2 days' "
            'FROM generate_series(1, %s)',
            [token, rows],
        )
        cursor.execute(f'ANALYZE {table}')
    return time.monotonic() - started


def _time_refresh(client: Any, refresh: str, requests: int) -> tuple[float, list[str]]:
    """Return the median µs of refreshAccess and the SQL of the queries it makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = json.dumps({'query': REFRESH_ACCESS}).encode()

    def send() -> Any:
        return client.post(
            '/api/token/refresh/graphql/', body, content_type='application/json', HTTP_AUTHORIZATION=refresh
        )

    with CaptureQueriesContext(connection) as captured:
        answer = send().json()
    assert answer['data']['refreshAccess']['access'], answer
    queries = [query['sql'] for query in captured.captured_queries]
    samples = []
    for number in range(requests + 50):
        started = time.perf_counter_ns()
        response = send()
        elapsed = time.perf_counter_ns() - started
        assert response.status_code == 200 and b'"errors"' not in response.content
        if number >= 50:
            samples.append(elapsed / 1000)
    return statistics.median(samples), queries


def _plan(sql: str) -> list[str]:
    """Return PostgreSQL's plan of ``sql`` (as Django ran it, parameters inlined)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}')
        return [row[0] for row in cursor.fetchall()]


def _purge_in_new_process() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, '-m', 'bench.scale', '--purge'],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(rows: int, requests: int) -> dict[str, Any]:
    """Run the whole scale benchmark; return its figures."""
    ensure_database()
    _setup_django()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from gql_djwto.models import JWTBlacklist

    call_command('migrate', interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        # Emptied and compacted: a previous run's dead rows would swell the table's size.
        cursor.execute(f'TRUNCATE {connection.ops.quote_name(JWTBlacklist._meta.db_table)}')
    user, _ = User.objects.get_or_create(username='alice')
    user.set_password('pass')
    user.save()

    client = Client()
    login = client.post(
        '/graphql/',
        json.dumps(
            {
                'query': LOGIN,
                'variables': {'username': 'alice', 'password': 'pass'},
            }
        ),
        content_type='application/json',
    ).json()['data']['tokenAuth']
    refresh = f'Bearer {login["refresh"]}'

    figures: dict[str, Any] = {'rows': rows, 'requests': requests}
    figures['empty_us'], queries = _time_refresh(client, refresh, requests)
    figures['queries'] = len(queries)
    figures['fill_seconds'] = _fill(rows, login['refresh'])
    figures['rows_in_table'] = JWTBlacklist.objects.count()
    figures['full_us'], queries = _time_refresh(client, refresh, requests)
    figures['query'] = queries[0]
    figures['plan'] = _plan(queries[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('gql_djwto_jwtblacklist'))")
        figures['table_size'] = cursor.fetchone()[0]
    connection.close()  # the purge runs in another process

    figures['purge'] = _purge_in_new_process()
    figures['empty_after_us'], _ = _time_refresh(client, refresh, requests)

    small = max(rows // 10, 1)
    _fill(small, login['refresh'])
    connection.close()
    figures['small_purge'] = _purge_in_new_process()
    return figures


def markdown(figures: dict[str, Any]) -> str:
    empty = (figures['empty_us'] + figures['empty_after_us']) / 2
    ratio = figures['full_us'] / empty
    purge, small = figures['purge'], figures['small_purge']

    def mib(kib: int) -> str:
        return f'{kib / 1024:.1f} MiB'

    lines = [
        (
            f'PostgreSQL, database `{DATABASE}`; Django test client in one process; '
            f'median of {figures["requests"]} requests each.'
        ),
        '',
        '| refreshAccess | median µs |',
        '|---|---:|',
        f'| empty blacklist (before) | {figures["empty_us"]:.0f} |',
        (
            f'| {figures["rows_in_table"]:,} rows ({figures["table_size"]}, filled in '
            f'{figures["fill_seconds"]:.1f} s) | {figures["full_us"]:.0f} |'
        ),
        f'| empty blacklist (after the purge) | {figures["empty_after_us"]:.0f} |',
        '',
        (
            f'Ratio {figures["rows_in_table"]:,} rows / empty (mean of both): **{ratio:.3f}** '
            f'(target ≤ 1.20: {"met" if ratio <= 1.2 else "**NOT met**"}). '
            f'Queries per refreshAccess: {figures["queries"]} (target: exactly one).'
        ),
        '',
        'The blacklist query, and its plan with the rows in place:',
        '',
        '```',
        figures['query'],
        *figures['plan'],
        '```',
        '',
        (
            '| delete_tokens (batch 10000, fresh process) | rows before | rows after | seconds | '
            'RSS after setup | peak RSS | peak − setup |'
        ),
        '|---|---:|---:|---:|---:|---:|---:|',
    ]
    for label, run in (
        (f'{purge["rows_before"]:,} expired rows', purge),
        (f'{small["rows_before"]:,} expired rows', small),
    ):
        lines.append(
            f'| {label} | {run["rows_before"]:,} | {run["rows_after"]:,} | {run["seconds"]:.1f} | '
            f'{mib(run["rss_before_kib"])} | {mib(run["peak_rss_kib"])} | '
            f'{mib(run["peak_rss_kib"] - run["rss_before_kib"])} |'
        )
    return '\n'.join(lines)


def scale_met(figures: dict[str, Any]) -> bool:
    empty = (figures['empty_us'] + figures['empty_after_us']) / 2
    return (
        figures['full_us'] / empty <= 1.2 and figures['queries'] == 1 and figures['purge']['rows_after'] == 0
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ['--purge']:
        print(json.dumps(purge()))
        return
    rows = int(argv[0]) if argv else 1_000_000
    requests = int(argv[1]) if len(argv) > 1 else 1000
    print(json.dumps(measure(rows, requests)))


if __name__ == '__main__':
    main(sys.argv[1:])
