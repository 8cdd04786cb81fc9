"""Verify with a key id and two fallback keys, beside verify with djwto's single key.

The settings differ, so each runs in its own process (``python -m bench.rotation
--worker today|rotating``, bench/settings.py reads BENCH_KEYS). The parent
makes them take turns, a block of rounds each, so drift falls on both alike,
and compares the medians. The rotating process signs with DJWTO_KEY_ID and
holds two fallback secrets, each with its own kid: a token names its key.

    python -m bench.rotation [--blocks 40] [--block 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ('today', 'rotating')
CASES = {
    'gql.verify': 'verify',
    'gql.verify_new_token': 'verify, a new token each time',
}
LIMIT = 1.05  # verify with a kid and two fallback keys ≤ 1.05 × verify today


def worker() -> None:
    """Serve blocks of timed rounds: read a round count per line, answer the samples as JSON."""
    os.environ['BENCH_DB'] = 'memory'
    os.environ['DJANGO_SETTINGS_MODULE'] = 'bench.settings'
    import django

    django.setup()
    from . import inprocess

    inprocess.setup_database()
    cases = [case for case in inprocess.build_cases() if case.key in CASES]
    for line in sys.stdin:
        inprocess.run_rounds(cases, int(line), warmup=0)
        print(json.dumps({case.key: case.samples for case in cases}), flush=True)
        for case in cases:
            case.samples.clear()


@dataclass
class Figures:
    """The medians (µs) of each case under each kind of keys."""

    samples: dict[str, dict[str, list[float]]]

    def median(self, kind: str, case: str) -> float:
        return statistics.median(self.samples[kind][case])

    def ratio(self, case: str) -> float:
        return self.median('rotating', case) / self.median('today', case)

    @property
    def met(self) -> bool:
        return all(self.ratio(case) <= LIMIT for case in CASES)

    def markdown(self) -> str:
        rounds = len(self.samples['today']['gql.verify'])
        lines = [
            (
                f'Two processes taking turns, {rounds} timed rounds each; "today": HS256, no kid, no '
                'fallback; "rotating": DJWTO_KEY_ID and two DJWTO_SIGNING_KEY_FALLBACKS with kids.'
            ),
            '',
            '| gql_djwto | today median µs | rotating median µs | ratio | limit | met |',
            '|---|---:|---:|---:|---:|:---:|',
        ]
        for case, label in CASES.items():
            ratio = self.ratio(case)
            lines.append(
                f'| {label} | {self.median("today", case):.0f} | {self.median("rotating", case):.0f} '
                f'| {ratio:.3f} | ≤ {LIMIT:.2f} | {"yes" if ratio <= LIMIT else "**NO**"} |'
            )
        return '\n'.join(lines)


def run(blocks: int = 40, block: int = 50, warmup: int = 100) -> Figures:
    """Start both workers, warm them up, then alternate ``blocks`` blocks of ``block`` rounds."""
    workers = {
        kind: subprocess.Popen(
            [sys.executable, '-m', 'bench.rotation', '--worker'],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, 'BENCH_KEYS': kind},
        )
        for kind in KINDS
    }

    def rounds(kind: str, count: int) -> dict[str, list[float]]:
        process = workers[kind]
        process.stdin.write(f'{count}\n')
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f'the {kind} worker stopped (exit {process.wait()})')
        return json.loads(line)

    samples = {kind: {case: [] for case in CASES} for kind in KINDS}
    try:
        for kind in KINDS:
            rounds(kind, warmup)
        for number in range(blocks):
            for kind in KINDS if number % 2 == 0 else reversed(KINDS):
                for case, values in rounds(kind, block).items():
                    samples[kind][case].extend(values)
    finally:
        for process in workers.values():
            process.stdin.close()
            process.wait(timeout=30)
    return Figures(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.rotation', description=__doc__.splitlines()[0])
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--blocks', type=int, default=40)
    parser.add_argument('--block', type=int, default=50)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return 0
    figures = run(args.blocks, args.block)
    print(figures.markdown())
    return 0 if figures.met else 1


if __name__ == '__main__':
    sys.exit(main())
