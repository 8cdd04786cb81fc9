"""npm packages for the tests, fetched once with ``npm pack`` into a cache folder (never committed).

The fetching is scripts/vendor_graphiql.py's. Without node or npm (or the
npm registry) the tests that need them skip, or fail when
GQL_DJWTO_REQUIRE_NPM=1 (as in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from scripts.vendor_graphiql import install_packages

CACHE = Path(os.environ.get('GQL_DJWTO_NPM_CACHE', Path(__file__).resolve().parents[1] / '.cache' / 'npm'))


def npm_package(spec: str) -> Path:
    """Return the folder of ``spec`` ('jose@6.2.18'), fetched if missing; skip or fail without npm."""
    if not (shutil.which('node') and shutil.which('npm')):
        problem = 'node and npm are not installed'
    else:
        try:
            return install_packages([spec], CACHE) / spec
        except (subprocess.SubprocessError, OSError, ValueError, tarfile.TarError) as error:
            stderr = getattr(error, 'stderr', '') or ''
            problem = f'npm pack {spec} failed: {error} {stderr[-500:]}'
    message = f'this test needs {spec} from npm: {problem}'
    if os.environ.get('GQL_DJWTO_REQUIRE_NPM') == '1':
        pytest.fail(message + ' (GQL_DJWTO_REQUIRE_NPM=1)')
    pytest.skip(message)
