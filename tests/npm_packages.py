"""npm packages for the tests, fetched once with ``npm pack`` into a cache folder (never committed).

Without node or npm (or the npm registry) the tests that need them skip, or
fail when GQL_DJWTO_REQUIRE_NPM=1 (as in CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from .browser.cdn_assets import extract_files

CACHE = Path(os.environ.get('GQL_DJWTO_NPM_CACHE', Path(__file__).resolve().parents[1] / '.cache' / 'npm'))


def _fetch(spec: str, cache: Path) -> Path:
    target = cache / spec
    if (target / 'package.json').is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        packed = subprocess.run(['npm', 'pack', '--json', '--pack-destination', tmp, spec],
                                check=True, capture_output=True, text=True, timeout=120)
        (info,) = json.loads(packed.stdout)
        staging = Path(tmp) / 'x'
        with tarfile.open(Path(tmp) / info['filename']) as tar:
            extract_files(tar, staging)
        (top,) = staging.iterdir()  # npm tarballs hold one folder, usually package/
        shutil.rmtree(target, ignore_errors=True)
        top.rename(target)
    return target


def npm_package(spec: str) -> Path:
    """Return the folder of ``spec`` ('jose@6.2.18'), fetched if missing; skip or fail without npm."""
    problem = None
    if not (shutil.which('node') and shutil.which('npm')):
        problem = 'node and npm are not installed'
    else:
        try:
            return _fetch(spec, CACHE)
        except (subprocess.SubprocessError, OSError, ValueError, tarfile.TarError) as error:
            stderr = getattr(error, 'stderr', '') or ''
            problem = f'npm pack {spec} failed: {error} {stderr[-500:]}'
    message = f'this test needs {spec} from npm: {problem}'
    if os.environ.get('GQL_DJWTO_REQUIRE_NPM') == '1':
        pytest.fail(message + ' (GQL_DJWTO_REQUIRE_NPM=1)')
    pytest.skip(message)
