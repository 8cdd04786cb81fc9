"""The version matrix: the SQLite suite, without browser and server tests, on three cells.

    make matrix               every cell (nox installed by the Makefile)
    .venv/bin/nox -s floor    one cell

floor    the lowest versions pyproject.toml allows, on the lowest Python;
django52 Django 5.2 (newest patch) on Python 3.12;
ceiling  the newest releases pyproject.toml allows, on the newest Python.

Interpreters come from pyenv (``$PYENV_ROOT/versions/X.Y.*``) or ``pythonX.Y``
on PATH (pyenv's shims aside), never downloaded. A missing one skips its cell
with a loud message; with ``CI`` set (as in .ci/run) it fails the run. Each
cell fails when pytest fails or collects no test (pytest's exit code 5), and
when the Django or Python version it ran is missing from pyproject.toml's
classifiers.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sys
from pathlib import Path

import nox

nox.options.sessions = ['floor', 'django52', 'ceiling']
nox.options.download_python = 'never'
nox.options.default_venv_backend = 'venv'
nox.options.error_on_missing_interpreters = os.environ.get('CI', '').lower() in {'1', 'true', 'yes'}
nox.options.reuse_venv = 'yes'

PYTEST = [
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:randomly',
    '-p',
    'no:cacheprovider',
    '-m',
    'not browser and not server',
    # every core, a whole test file per worker (pytest-xdist, in the test extra)
    '-n',
    'auto',
    '--dist',
    'loadfile',
]
FLOOR = [
    'Django==4.2.0',
    'graphene-django==3.2.0',
    'graphene==3.1.0',
    'graphql-core==3.2.12',
    'PyJWT[crypto]==2.14.0',
]
DJANGO52 = ['Django~=5.2.0']
# The newest of each that pyproject.toml's ranges allow; pip resolves them.
CEILING = ['Django', 'graphene-django', 'graphene', 'graphql-core', 'PyJWT[crypto]']


def interpreter(version: str) -> str:
    """Path of Python ``version`` (pyenv's newest patch first), or ``version`` itself when absent."""
    root = os.environ.get('PYENV_ROOT', os.path.expanduser('~/.pyenv'))
    found = sorted(
        glob.glob(f'{root}/versions/{version}.*/bin/python{version}'),
        key=lambda path: [int(part) for part in Path(path).parents[1].name.split('.')],
    )
    # pyenv's shims answer "command not found" for a version not selected: look past them.
    search = os.pathsep.join(
        folder for folder in os.environ.get('PATH', '').split(os.pathsep) if Path(folder).name != 'shims'
    )
    path = found[-1] if found else shutil.which(f'python{version}', path=search)
    if path:
        return path
    action = 'FAILS (CI is set)' if nox.options.error_on_missing_interpreters else 'is SKIPPED'
    print(
        f'\n!!! Python {version} not found (pyenv or python{version} on PATH): '
        f'its matrix cell {action} !!!\n',
        file=sys.stderr,
    )
    return version


def run_suite(session: nox.Session, pins: list[str], *, upgrade: bool = False) -> None:
    """Install the project with ``pins``, check the classifiers name what got installed, run pytest."""
    session.install(
        *(['--upgrade', '--upgrade-strategy', 'eager'] if upgrade else []), '-e', '.[test]', *pins
    )
    installed = json.loads(session.run('python', '-c', INSTALLED, silent=True))
    session.log(' | '.join(f'{name} {version}' for name, version in installed['versions'].items()))
    expected = {
        f'Framework :: Django :: {minor(installed["versions"]["Django"])}',
        f'Programming Language :: Python :: {minor(installed["versions"]["Python"])}',
    }
    if missing := expected - set(installed['classifiers']):
        session.error(f'pyproject.toml classifiers lack {sorted(missing)}')
    session.run('python', *PYTEST, *session.posargs, env={'GQL_DJWTO_TEST_DB': 'sqlite'})


# Run by the cell's Python: what it runs on, and gql_djwto's classifiers (from pyproject.toml).
INSTALLED = """
import importlib.metadata as m, json, platform
names = ['Django', 'graphene-django', 'graphene', 'graphql-core', 'PyJWT']
print(json.dumps({
    'versions': {'Python': platform.python_version(), **{n: m.version(n) for n in names}},
    'classifiers': m.metadata('gql_djwto').get_all('Classifier'),
}))
"""


def minor(version: str) -> str:
    """``'4.2'`` of ``'4.2.0'``."""
    return '.'.join(version.split('.')[:2])


@nox.session(python=interpreter('3.10'))
def floor(session: nox.Session) -> None:
    """The lowest versions pyproject.toml allows, on Python 3.10."""
    run_suite(session, FLOOR)


@nox.session(python=interpreter('3.12'))
def django52(session: nox.Session) -> None:
    """Django 5.2's newest patch on Python 3.12."""
    run_suite(session, DJANGO52, upgrade=True)


@nox.session(python=interpreter('3.13'))
def ceiling(session: nox.Session) -> None:
    """The newest Django, graphene-django, graphene, graphql-core and PyJWT allowed, on Python 3.13."""
    run_suite(session, CEILING, upgrade=True)
