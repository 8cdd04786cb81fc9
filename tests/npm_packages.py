"""npm packages for the tests, fetched once with ``npm pack`` into a cache folder (never committed).

The fetching is scripts/vendor_graphiql.py's. Without node or npm (or the
npm registry) the tests that need them skip, or fail when
GQL_DJWTO_REQUIRE_NODE=1 (as in CI), as the Node.js examples do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from scripts.vendor_graphiql import install_packages

from .requirements import skip_or_fail

CACHE = Path(os.environ.get('GQL_DJWTO_NPM_CACHE', Path(__file__).resolve().parents[1] / '.cache' / 'npm'))


def npm_package(spec: str) -> Path:  # noqa: RET503 - skip_or_fail raises (NoReturn)
    """Return the folder of ``spec`` ('jose@6.2.18'), fetched if missing; skip or fail without npm."""
    if not (shutil.which('node') and shutil.which('npm')):
        problem = 'node and npm are not installed'
    else:
        try:
            return install_packages([spec], CACHE) / spec
        except (subprocess.SubprocessError, OSError, ValueError, tarfile.TarError) as error:
            stderr = getattr(error, 'stderr', '') or ''
            problem = f'npm pack {spec} failed: {error} {stderr[-500:]}'
    skip_or_fail(f'this test needs {spec} from npm: {problem}', 'GQL_DJWTO_REQUIRE_NODE')
