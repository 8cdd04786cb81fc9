"""``python -m bench``: gql_djwto beside djwto and django-graphql-jwt.

    python -m bench               the in-process comparison (prints its table)
    python -m bench --http        gunicorn + wrk on 127.0.0.1 (prints its table)
    python -m bench --scale       PostgreSQL, 10^6 blacklist rows (prints its figures)
    python -m bench --keys        verify with a key id and two fallback keys (bench/rotation.py)
    python -m bench --all         all four, then writes bench/RESULTS.md

``make bench`` installs ``.[test,bench]`` into .venv and runs ``--all``.
Exits 1 when a target is missed (the tables say which).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import machine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def in_process(rounds: int, warmup: int):
    os.environ['BENCH_DB'] = 'memory'
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bench.settings')
    import django

    django.setup()
    from . import inprocess

    return inprocess.run(rounds=rounds, warmup=warmup)


def scale(rows: int, requests: int) -> dict:
    """Run the PostgreSQL part in its own process (its settings differ from ours)."""
    completed = subprocess.run(
        [sys.executable, '-m', 'bench.scale', str(rows), str(requests)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f'bench.scale failed:\n{completed.stdout}\n{completed.stderr}')
    return json.loads(completed.stdout.strip().splitlines()[-1])


def command_line(argv: list[str]) -> str:
    return 'python -m bench ' + ' '.join(argv) if argv else 'python -m bench'


def write_results(
    path: Path,
    argv: list[str],
    started: datetime,
    load: str,
    report,
    http_table: str,
    scale_text: str,
    keys_text: str,
    met: bool,
    seconds: float,
) -> None:
    text = '\n'.join(
        [
            '# gql_djwto beside djwto and django-graphql-jwt',
            '',
            (
                f'Written by `{command_line(argv)}` (or `make bench`, which installs `.[test,bench]` '
                'into .venv first and runs `python -m bench --all`), run from the repository root. '
                f'Started {started:%Y-%m-%d %H:%M} UTC, took {seconds / 60:.1f} min; '
                f'load average at the start: {load}. **Every target met: {"yes" if met else "NO"}.**'
            ),
            '',
            '## Machine',
            '',
            *machine.describe(),
            '',
            '## In one process, interleaved',
            '',
            (
                'Django test client, SQLite in memory, MD5 hasher, the middleware of `startproject`, '
                'JSON mode (tokens in the bearer header), one user without permissions. Each round '
                'sends every request once in a new random order; '
                f'{report.rounds} timed rounds after {report.warmup} untimed, '
                f'{report.seconds:.0f} s. Every answer was checked; DB queries counted on one request. '
                'gql_djwto keeps documents parsed and validated, and tokens verified (the same token '
                'each time, as a client sends it); "gql_djwto verify, a new token each time" shows '
                'verify without that second cache.'
            ),
            '',
            report.markdown(),
            '',
            '## Keys that rotate',
            '',
            keys_text,
            '',
            '## Real HTTP',
            '',
            http_table,
            '',
            '## Scale',
            '',
            scale_text,
            '',
        ]
    )
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__.splitlines()[0])
    parser.add_argument('--all', action='store_true', help='everything, then write RESULTS.md')
    parser.add_argument('--http', action='store_true', help='gunicorn + wrk only')
    parser.add_argument('--scale', action='store_true', help='PostgreSQL scale only')
    parser.add_argument('--keys', action='store_true', help='key id and fallback keys only')
    parser.add_argument('--rounds', type=int, default=1500, help='timed rounds in process')
    parser.add_argument('--warmup', type=int, default=100, help='untimed rounds first')
    parser.add_argument('--duration', type=int, default=10, help='seconds per wrk run')
    parser.add_argument('--rows', type=int, default=1_000_000, help='blacklist rows to scale to')
    parser.add_argument('--requests', type=int, default=1000, help='refreshAccess requests per scale figure')
    parser.add_argument('--output', type=Path, default=HERE / 'RESULTS.md')
    args = parser.parse_args(argv)

    started, clock = datetime.now(timezone.utc), time.monotonic()
    load = machine.load_average()
    run_in_process = args.all or not (args.http or args.scale or args.keys)
    met = True
    report = http_table = scale_text = keys_text = None

    if run_in_process:
        print(f'In process: {args.rounds} rounds ...', flush=True)
        report = in_process(args.rounds, args.warmup)
        print(report.markdown(), flush=True)
        met = met and report.all_met
    if args.all or args.keys:
        from . import rotation

        print('\nKeys that rotate: two processes taking turns ...', flush=True)
        figures = rotation.run()
        keys_text = figures.markdown()
        print(keys_text, flush=True)
        met = met and figures.met
    if args.all or args.scale:
        from . import scale as scale_module

        print(f'\nScale: {args.rows:,} rows on PostgreSQL ...', flush=True)
        figures = scale(args.rows, args.requests)
        scale_text = scale_module.markdown(figures)
        print(scale_text, flush=True)
        met = met and scale_module.scale_met(figures)
    if args.all or args.http:
        from . import http_load

        print(f'\nHTTP: gunicorn + wrk, {args.duration} s per run ...', flush=True)
        results = http_load.run(args.duration)
        http_table = http_load.markdown(results, args.duration)
        print(http_table, flush=True)
        met = met and not any(result.failures for result in results)
    if args.all:
        write_results(
            args.output,
            argv,
            started,
            load,
            report,
            http_table,
            scale_text,
            keys_text,
            met,
            time.monotonic() - clock,
        )
        print(f'\nWrote {args.output}')
    return 0 if met else 1


if __name__ == '__main__':
    sys.exit(main())
