"""Node.js examples for the tests: their npm packages installed once into a cache folder.

An example folder (``examples/apollo/``) holds its ``package.json`` and
``package-lock.json``, never ``node_modules``. ``npm ci`` installs the locked
versions from the npm registry into ``.cache/npm-examples/<lock digest>/``
(``NPM_EXAMPLES_CACHE`` moves it), and a test runs a copy of the example's
scripts beside a link to those packages.

Without Node.js 20 or newer and npm the tests that need them skip, or fail
when ``GQL_DJWTO_REQUIRE_NODE=1`` (as in CI).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .processes import REPO
from .requirements import skip_or_fail

CACHE = Path(os.environ.get('NPM_EXAMPLES_CACHE', REPO / '.cache' / 'npm-examples'))
NODE_MAJOR = 20  # global fetch, Headers.getSetCookie
NPM_TIMEOUT = 600  # seconds for npm ci on a cold cache


def missing_node() -> str | None:
    """Say what running the examples lacks on this machine, or None."""
    node, npm = shutil.which('node'), shutil.which('npm')
    if not (node and npm):
        return 'node and npm are not on PATH'
    version = subprocess.run([node, '--version'], capture_output=True, text=True, check=True).stdout
    if int(version.strip().lstrip('v').split('.')[0]) < NODE_MAJOR:
        return f'Node.js {version.strip()} is older than {NODE_MAJOR}'
    return None


def require_node() -> None:
    """Skip the test, or fail it when GQL_DJWTO_REQUIRE_NODE=1, without Node.js and npm."""
    reason = missing_node()
    if reason:
        skip_or_fail(
            f'the Node.js examples need Node.js {NODE_MAJOR}+ and npm: {reason}', 'GQL_DJWTO_REQUIRE_NODE'
        )


def installed_packages(example: Path) -> Path:
    """Return the ``node_modules`` folder holding ``example``'s locked packages, installing them once."""
    lock = (example / 'package-lock.json').read_bytes()
    target = CACHE / hashlib.sha256(lock).hexdigest()[:16]
    if (target / 'node_modules' / '.package-lock.json').is_file():
        return target / 'node_modules'
    CACHE.mkdir(parents=True, exist_ok=True)
    # Installed beside the cache and moved in whole: an interrupted install leaves no half folder.
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        staging = Path(scratch) / 'install'
        staging.mkdir()
        for name in ('package.json', 'package-lock.json'):
            shutil.copy(example / name, staging)
        done = subprocess.run(
            ['npm', 'ci', '--no-audit', '--no-fund', '--ignore-scripts'],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f'npm ci for {example} failed:\n{done.stdout}\n{done.stderr}')
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target / 'node_modules'


def runnable_copy(example: Path, folder: Path) -> Path:
    """Copy ``example``'s scripts into ``folder`` beside a link to its installed packages."""
    node_modules = installed_packages(example)
    for script in example.glob('*.mjs'):
        shutil.copy(script, folder)
    (folder / 'node_modules').symlink_to(node_modules, target_is_directory=True)
    return folder
