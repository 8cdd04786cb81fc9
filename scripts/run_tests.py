"""``make test``: the suite, and beside it the project profiles of tests/profiles/.

Each profile is a pytest process of its own (its own settings module). They
start with the suite, at the lowest CPU priority (nice 19), so they take the
cores only when the suite leaves them idle (while it waits on its servers,
browsers and clients), and run at full speed once the suite is done.
``--jobs`` profiles run at a time. Each writes test-output/profile-<name>.log,
shown in full when it fails; its last line is shown when it passes.

    python scripts/run_tests.py --profiles 'naive_tokyo production' --jobs 2 \\
        --profile-args '-x' -- <the suite's pytest arguments>

Exits with the suite's status when the suite fails, else 1 when a profile
fails, else 0.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OUTPUT = Path('test-output')
PROFILE_NICENESS = 19
# The pytest plugins .venv holds for the suite's own tools, which a project using gql_djwto does not
# load: the profiles leave them out, and so do the tests that run a project's pytest (loading them
# cost each such pytest run about a second).
TEST_TOOL_PLUGINS = [
    'hypothesispytest',
    'schemathesis',
    'anyio',
    'xdist',
    'xdist.looponfail',
    'pytest_cov',
    'time_machine',
    'platformdirs',
]


def project_pytest(*arguments: str) -> list[str]:
    """The command of a pytest run as a project using gql_djwto has it: without TEST_TOOL_PLUGINS
    and without a cache folder."""
    plugins = [argument for name in TEST_TOOL_PLUGINS for argument in ('-p', f'no:{name}')]
    return [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', *plugins, *arguments]


def profile_command(name: str, extra: list[str]) -> list[str]:
    # django_debug_mode=keep leaves each profile's DEBUG as its settings say.
    nice = ['nice', '-n', str(PROFILE_NICENESS)] if shutil.which('nice') else []
    return [
        *nice,
        *project_pytest(
            'tests/profiles',
            '-o',
            'django_debug_mode=keep',
            '--ds',
            f'tests.profiles.settings_{name}',
            *extra,
        ),
    ]


def run_profile(name: str, extra: list[str]) -> tuple[str, int, Path]:
    log = OUTPUT / f'profile-{name}.log'
    with log.open('w') as output:
        status = subprocess.call(
            profile_command(name, extra),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return name, status, log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--profiles', default='', help='names, separated by blanks')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        '--profile-args', default='', help='pytest arguments for each profile, as a shell line'
    )
    parser.add_argument('suite', nargs=argparse.REMAINDER, help='-- then the suite pytest arguments')
    args = parser.parse_args()
    suite_args = args.suite[1:] if args.suite[:1] == ['--'] else args.suite
    OUTPUT.mkdir(exist_ok=True)

    names = args.profiles.split()
    extra = shlex.split(args.profile_args)
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        profiles = [pool.submit(run_profile, name, extra) for name in names]
        suite = subprocess.call([sys.executable, '-m', 'pytest', *suite_args])
        failed = []
        for future in profiles:
            name, status, log = future.result()
            lines = log.read_text().splitlines() or ['(no output)']
            if status == 0:
                print(f'== profile {name} (tests/profiles/settings_{name}.py): {lines[-1]}')
            else:
                print('\n'.join(lines))
                print(f'make test: profile {name} FAILED')
                failed.append(name)
    if suite:
        return suite
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
