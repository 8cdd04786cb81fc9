"""Servers the tests start as child processes: the demo, or the demo under gunicorn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30  # seconds for a server to migrate, create its users and listen
STOP_TIMEOUT = 10


# What the tests that serve the demo to a client (Chromium, Apollo, jose, schemathesis) add to its
# environment: Django's MD5 hasher, the one Django advises for tests. A PBKDF2 hash costs a fifth
# of a second of CPU, paid at every login and twice at every first start. The tests of the demo's
# own start (tests/test_demo_http.py) keep Django's hashers.
QUICK_PASSWORDS = {'DEMO_PASSWORD_HASHERS': 'django.contrib.auth.hashers.MD5PasswordHasher'}
# What `python -m schema_demo` does to its database before serving.
PREPARE_DEMO_DATABASE = """
import os
os.environ['DJANGO_SETTINGS_MODULE'] = 'schema_demo.settings'
import django
django.setup()
from schema_demo.__main__ import prepare_database
prepare_database()
"""


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def port_is_open(port: int, host: str = '127.0.0.1') -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def demo_environment(**variables: str) -> dict[str, str]:
    """The environment of a new user's shell: none of the test run's settings, plus ``variables``.

    The child gets no DJWTO_*, GQL_DJWTO_* or DEMO_* variable of the test run
    and no DJANGO_SETTINGS_MODULE, so it reads the demo's own settings.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(('DJWTO_', 'GQL_DJWTO_', 'DEMO_')) and name != 'DJANGO_SETTINGS_MODULE'
    }
    env.update(PYTHONUNBUFFERED='1', **variables)
    return env


def new_demo_database(path: Path) -> Path:
    """Make at ``path`` a demo database as the demo leaves it after its first start (QUICK_PASSWORDS)."""
    env = demo_environment(DEMO_DATABASE=str(path), **QUICK_PASSWORDS)
    done = subprocess.run(
        [sys.executable, '-c', PREPARE_DEMO_DATABASE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


def prepared_demo_database(request: pytest.FixtureRequest, path: Path) -> Path:
    """Copy to ``path`` the test process's demo database, migrated and holding the demo users.

    A demo started on it begins as on its second run: nothing to migrate, no
    user to create, so no password to hash. Start it with QUICK_PASSWORDS.
    """
    shutil.copyfile(request.getfixturevalue('demo_database_template'), path)
    return path


@dataclass
class ServerProcess:
    """One server started by a test, its output in a file."""

    process: subprocess.Popen
    port: int
    log: Path

    @classmethod
    def start(cls, arguments: list[str], env: dict[str, str], log: Path, port: int) -> Any:
        """Run ``python <arguments>`` in the checkout; return once it listens on ``port``."""
        with log.open('w') as output:
            process = subprocess.Popen(
                [sys.executable, *arguments], cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        server = cls(process, port, log)
        try:
            server.wait_until_listening()
        except BaseException:
            server.stop()
            raise
        return server

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def output(self) -> str:
        return self.log.read_text()

    def wait_until_listening(self) -> None:
        """Poll the port until the server accepts connections; fail if it exits or takes too long."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f'{self.process.args} exited with {self.process.returncode}:\n{self.output()}')
            if port_is_open(self.port):
                return
            time.sleep(0.1)
        pytest.fail(
            f'{self.process.args} did not listen on port {self.port} '
            f'within {START_TIMEOUT}s:\n{self.output()}'
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)
