"""gql_djwto's pytest plugin: installed under pytest11, offers jwt_client, harmless without Django.

Each test runs pytest in a child process in an empty folder, so the plugin is
loaded the way a project's pytest loads it: from the installed entry point.
"""

from __future__ import annotations

import os
import subprocess
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from scripts.run_tests import project_pytest

from .processes import REPO

TIMEOUT = 120

A_TEST_OF_THE_PROJECT = """
import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db
def test_me(jwt_client):
    jwt_client.authenticate(User.objects.create_user('alice'))
    assert jwt_client.execute('{ me }').data == {'me': 'alice'}
"""

TESTS_WITHOUT_DJANGO = """
def test_plain():
    assert True


def test_asks_for_the_client(jwt_client):
    pass
"""


def run_pytest(folder: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(('DJANGO_', 'PYTEST_', 'GQL_DJWTO_'))
    }
    # SQLite in memory: a child on PostgreSQL would meet this run's test database.
    env.update(environment, GQL_DJWTO_TEST_DB='sqlite')
    # The folder's own (empty) configuration, so no pyproject.toml above it (say in /tmp) applies.
    (folder / 'pytest.ini').write_text('[pytest]\n')
    return subprocess.run(
        project_pytest('-q', *arguments),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_the_plugin_is_registered_for_pytest():
    plugins = {entry.name: entry.value for entry in entry_points(group='pytest11')}
    assert plugins.get('gql_djwto') == 'gql_djwto.pytest_plugin'


def test_jwt_client_fixture_in_a_projects_tests(tmp_path):
    (tmp_path / 'test_project.py').write_text(A_TEST_OF_THE_PROJECT)
    done = run_pytest(tmp_path, '--ds', 'tests.settings', PYTHONPATH=str(REPO))
    assert done.returncode == 0, done.stdout + done.stderr
    assert '1 passed' in done.stdout


@pytest.mark.parametrize(
    'arguments', [['-p', 'no:django'], []], ids=['without-pytest-django', 'without-settings']
)
def test_a_project_without_django_settings_or_pytest_django_is_unaffected(tmp_path, arguments):
    (tmp_path / 'test_plain.py').write_text(TESTS_WITHOUT_DJANGO)
    done = run_pytest(tmp_path, *arguments)
    assert '1 passed, 1 error' in done.stdout, done.stdout + done.stderr
    assert 'jwt_client needs Django settings' in done.stdout
