"""README.md's setup runs as written: in a new `startproject`, and in the profiles' project.

The blocks are taken from README.md itself: its ```python blocks whose
first line names the file they go to (``# settings.py: ...``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from scripts.run_tests import project_pytest

from .processes import REPO, ServerProcess, demo_environment, free_port

pytestmark = pytest.mark.server

PROFILES = REPO / 'tests' / 'profiles'
README_BLOCK = re.compile(
    r'^```python\n# (settings\.py|urls\.py|schema\.py)\b[^\n]*\n(.*?)^```$', re.MULTILINE | re.DOTALL
)
# The example of the section "Testing your project": a test file of the project.
TESTING_BLOCK = re.compile(
    r'^## Testing your project\n.*?^```python\n# (myproject/\S+):[^\n]*\n(.*?)^```$', re.MULTILINE | re.DOTALL
)
PROFILE_BLOCK = re.compile(
    r'^# --- README setup: (\S+) ---\n(.*?)^# --- end of README setup ---$', re.MULTILINE | re.DOTALL
)
SIGNING_KEY = 'readme-test-signing-key-long-enough-for-hs256'
PASSWORD = 'a-long-enough-password'
COMMAND_TIMEOUT = 120

# What the startproject profile must keep as startproject writes it.
SETTINGS_FACTS = (
    'import json, {module} as s; print(json.dumps({{name: getattr(s, name) for name in ['
    '"INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "AUTH_PASSWORD_VALIDATORS", "DEBUG", '
    '"ALLOWED_HOSTS", "USE_TZ", "TIME_ZONE", "USE_I18N", "LANGUAGE_CODE", "DEFAULT_AUTO_FIELD", '
    '"STATIC_URL"]}}))'
)

# Warnings a new project may show with the README's lines, and why they stay.
EXPECTED_WARNINGS = {
    # The default cache counts login failures per process; the README's
    # throttling section says to use Redis in production.
    'gql_djwto.W005',
}


def readme_blocks() -> dict[str, str]:
    """Return README.md's setup blocks by file name, without their first (naming) line."""
    blocks = dict(README_BLOCK.findall((REPO / 'README.md').read_text()))
    assert set(blocks) == {'settings.py', 'urls.py', 'schema.py'}, sorted(blocks)
    return blocks


def test_profiles_run_exactly_the_readme_settings_and_urls():
    blocks = readme_blocks()
    profile = dict(PROFILE_BLOCK.findall((PROFILES / 'settings_startproject.py').read_text()))
    profile.update(PROFILE_BLOCK.findall((PROFILES / 'urls.py').read_text()))

    # The one difference: the profiles' project is the package tests.profiles.
    assert profile['settings.py'] == blocks['settings.py'].replace('myproject.', 'tests.profiles.')
    assert profile['urls.py'] == blocks['urls.py']


def test_profile_startproject_keeps_what_startproject_writes(tmp_path):
    project = new_project(tmp_path)
    written = json.loads(run_python(project, '-c', SETTINGS_FACTS.format(module='myproject.settings')))
    # Imported in a child process: the profile's settings set environment variables.
    profile = json.loads(
        run_python(REPO, '-c', SETTINGS_FACTS.format(module='tests.profiles.settings_startproject'))
    )

    readme_apps = ['graphene_django', 'gql_djwto']
    profile['INSTALLED_APPS'] = [app for app in profile['INSTALLED_APPS'] if app not in readme_apps]
    assert written == profile


def test_readme_setup_in_a_new_startproject_checks_migrates_and_logs_in(tmp_path):
    project = readme_project(tmp_path)

    check = manage(project, 'check', '--fail-level', 'WARNING', check=False)
    warnings = set(re.findall(r'\((\w+\.W\d+)\)', check.stdout + check.stderr))
    assert warnings <= EXPECTED_WARNINGS, check.stdout + check.stderr
    if not warnings:
        assert check.returncode == 0, check.stdout + check.stderr
    assert 'gql_djwto' in manage(project, 'migrate').stdout
    manage(
        project,
        'shell',
        '-c',
        (
            'from django.contrib.auth.models import User; '
            f'User.objects.create_user("alice", password="{PASSWORD}")'
        ),
    )

    port = free_port()
    server = ServerProcess.start(
        [str(project / 'manage.py'), 'runserver', '--noreload', f'127.0.0.1:{port}'],
        project_environment(),
        tmp_path / 'runserver.log',
        port,
    )
    try:
        login = requests.post(
            f'{server.url}/graphql/',
            json={
                'query': f'mutation {{ tokenAuth(username: "alice", password: "{PASSWORD}") {{ msg }} }}',
            },
            timeout=30,
        )
        assert login.json() == {'data': {'tokenAuth': {'msg': 'Tokens successfully created.'}}}, login.text
        # ONE-COOKIE, as the README sets: Secure cookies (sent here by hand, over
        # plain http), and the CSRF header from the csrftoken cookie.
        assert login.cookies.get('jwt_access') and 'Secure' in login.headers['Set-Cookie']
        me = requests.post(
            f'{server.url}/graphql/',
            json={'query': '{ me }'},
            headers={
                'Cookie': f'jwt_access={login.cookies["jwt_access"]}; csrftoken={login.cookies["csrftoken"]}',
                'X-CSRFToken': login.cookies['csrftoken'],
            },
            timeout=30,
        )
        assert me.json() == {'data': {'me': 'alice'}}, me.text
    finally:
        server.stop()


@pytest.mark.parametrize('mode', ['JSON', 'ONE-COOKIE', 'TWO-COOKIES'])
def test_readme_testing_example_passes_in_a_new_startproject(tmp_path, mode):
    project = readme_project(tmp_path, f'DJWTO_MODE = {mode!r}')
    name, example = TESTING_BLOCK.search((REPO / 'README.md').read_text()).groups()
    (project / name).write_text(example)
    done = run(
        project_pytest('-q', '--ds', 'myproject.settings', name),
        cwd=project,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '3 passed' in done.stdout, done.stdout


def readme_project(tmp_path: Path, *settings: str) -> Path:
    """Return a new startproject with the README's setup blocks, then ``settings`` lines."""
    project = new_project(tmp_path)
    blocks = readme_blocks()
    append(project / 'myproject' / 'settings.py', '\n'.join([blocks['settings.py'], *settings]))
    append(project / 'myproject' / 'urls.py', blocks['urls.py'])
    (project / 'myproject' / 'schema.py').write_text(blocks['schema.py'])
    return project


def project_environment() -> dict[str, str]:
    return demo_environment(DJWTO_SIGNING_KEY=SIGNING_KEY)


def new_project(tmp_path: Path) -> Path:
    project = tmp_path / 'project'
    project.mkdir()
    django_admin = Path(sys.executable).with_name('django-admin')
    run([str(django_admin), 'startproject', 'myproject', str(project)], cwd=tmp_path)
    return project


def append(path: Path, block: str) -> None:
    path.write_text(path.read_text() + '\n' + block)


def run(arguments: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        arguments,
        cwd=cwd,
        env=project_environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if check:
        assert done.returncode == 0, f'{arguments} exited {done.returncode}:\n{done.stdout}\n{done.stderr}'
    return done


def run_python(project: Path, *arguments: str) -> str:
    return run([sys.executable, *arguments], cwd=project).stdout


def manage(project: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return run([sys.executable, 'manage.py', *arguments], cwd=project, check=check)
