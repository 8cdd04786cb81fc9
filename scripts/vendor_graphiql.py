"""Vendor GraphiQL's CDN files into gql_djwto's static files, or check the vendored ones.

    python -m scripts.vendor_graphiql           # fetch with npm pack, write, then check
    python -m scripts.vendor_graphiql --check   # check only, offline

Which files, versions and SRI hashes: read from graphene-django's GraphiQL
template and ``GraphQLView`` (``gql_djwto.graphiql.cdn_files``). Each npm
package is fetched once with ``npm pack`` (only the npm registry is needed),
each file checked against graphene-django's SRI hash, then written under
``gql_djwto/static/gql_djwto/graphiql/<package>-<version>/`` with the
package's license files beside it. The one change: a trailing source-map
comment is cut (the map is not shipped, and ManifestStaticFilesStorage would
fail on the missing map or rewrite the file); ``gql_djwto/graphiql.json``
records what was cut, so the check can prove the shipped bytes are the CDN's.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / 'gql_djwto'
STATIC_FOLDER = 'gql_djwto/graphiql'
VENDORED = PACKAGE / 'static' / STATIC_FOLDER
DEFAULT_CACHE_DIR = Path(os.environ.get('GRAPHIQL_NPM_CACHE', ROOT / '.cache' / 'graphiql-npm'))
SHIPPED_SRI = 'sha384'

# Packages whose npm tarball holds no license file: (their package.json says MIT
# and names the repository) take it from a package of the same repository.
LICENSE_FROM = {'@graphiql/plugin-explorer': 'graphiql'}  # both github.com/graphql/graphiql
LICENSE_FILE = re.compile(r'^(LICEN[CS]E|COPYING)(\.(md|txt))?$', re.IGNORECASE)
SOURCE_MAP_COMMENT = re.compile(rb'\n?(//# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^\n]*?\*/)\s*\Z')


def setup_django() -> None:
    """Configure just enough Django to load graphene-django's template, unless already set up."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            INSTALLED_APPS=['graphene_django'],
            TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'APP_DIRS': True}],
        )
        django.setup()


def install_packages(specs: list[str], cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> Path:
    """Fetch each npm ``name@version`` of ``specs`` into ``cache_dir/<name>@<version>/``.

    The layout of jsDelivr's URLs; packages already present are skipped.
    Returns the cache folder.
    """
    cache = Path(cache_dir)
    missing = [spec for spec in sorted(set(specs)) if not (cache / spec / 'package.json').is_file()]
    if not missing:
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        out = subprocess.run(
            ['npm', 'pack', '--json', '--pack-destination', tmp, *missing],
            check=True,
            capture_output=True,
            text=True,
        )
        for packed in json.loads(out.stdout):
            spec = f'{packed["name"]}@{packed["version"]}'
            staging = Path(tmp) / 'x'
            with tarfile.open(Path(tmp) / packed['filename']) as tar:
                extract_files(tar, staging)
            # npm tarballs hold one top folder, usually "package/".
            (top,) = staging.iterdir()
            target = cache / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            top.rename(target)
            staging.rmdir()
    return cache


def extract_files(tar: tarfile.TarFile, target: str | os.PathLike) -> None:
    """Extract the regular files and folders of ``tar`` under ``target``.

    Checks every member first, so it works alike on every Python (``extractall``'s
    ``filter`` argument is missing from some 3.11 builds, Debian's among them): a
    link, device or FIFO, an absolute name or one leaving ``target`` raises
    ``tarfile.TarError`` before anything is written.
    """
    root = Path(target).resolve()
    members = tar.getmembers()
    for member in members:
        path = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()):
            raise tarfile.TarError(f'refusing {member.name!r}: not a regular file or folder')
        if Path(member.name).is_absolute() or not path.is_relative_to(root):
            raise tarfile.TarError(f'refusing {member.name!r}: outside {root}')
    for member in members:
        path = (root / member.name).resolve()
        if member.isdir():
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, path.open('wb') as output:
            shutil.copyfileobj(source, output)


def sri(data: bytes, algorithm: str) -> str:
    """The SRI value (``<algorithm>-<base64 digest>``) of ``data``."""
    return f'{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}'


def matches_sri(data: bytes, expected: str) -> bool:
    """Whether ``data`` matches one of the hashes of the SRI value ``expected``."""
    return any(sri(data, value.split('-', 1)[0]) == value for value in expected.split())


def folder_of(package: str, version: str) -> str:
    """``@graphiql/plugin-explorer``, 0.1.15 -> ``graphiql-plugin-explorer-0.1.15`` (no @ in URLs)."""
    return f'{package.lstrip("@").replace("/", "-")}-{version}'


def license_files(package_dir: Path) -> list[Path]:
    return sorted(path for path in package_dir.iterdir() if path.is_file() and LICENSE_FILE.match(path.name))


def vendor(cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> None:
    """Fetch graphene-django's GraphiQL files, check their SRI, write them and graphiql.json."""
    from gql_djwto.graphiql import MANIFEST, cdn_files

    files = cdn_files()
    versions = {file.package: file.version for file in files}
    cache = install_packages([f'{package}@{version}' for package, version in versions.items()], cache_dir)
    shutil.rmtree(VENDORED, ignore_errors=True)
    shipped: list[dict[str, str]] = []
    for file in files:
        data = (cache / f'{file.package}@{file.version}' / file.path).read_bytes()
        if not matches_sri(data, file.integrity):
            raise SystemExit(f"{file.url}: the npm file does not match graphene-django's {file.integrity}")
        cut = SOURCE_MAP_COMMENT.search(data)
        kept = data[: cut.start()] if cut else data
        static_path = f'{STATIC_FOLDER}/{folder_of(file.package, file.version)}/{file.path}'
        target = PACKAGE / 'static' / static_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(kept)
        shipped.append(
            {
                'cdn_url': file.url,
                'cdn_integrity': file.integrity,
                'static_path': static_path,
                'integrity': sri(kept, SHIPPED_SRI),
                'removed_suffix': data[len(kept) :].decode('utf-8'),
            }
        )
    packages = [
        _ship_license(cache, package, version, versions) for package, version in sorted(versions.items())
    ]
    manifest = {
        '_comment': 'Written by scripts/vendor_graphiql.py; do not edit.',
        'packages': packages,
        'files': shipped,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + '\n', encoding='utf-8')


def _ship_license(cache: Path, package: str, version: str, versions: dict[str, str]) -> dict[str, Any]:
    """Copy the package's license files beside its files; return its graphiql.json entry."""
    metadata = json.loads((cache / f'{package}@{version}' / 'package.json').read_text(encoding='utf-8'))
    source = LICENSE_FROM.get(package, package)
    found = license_files(cache / f'{source}@{versions[source]}')
    if not found:
        raise SystemExit(f'{package}@{version} ships no license file: add it to LICENSE_FROM')
    folder = VENDORED / folder_of(package, version)
    folder.mkdir(parents=True, exist_ok=True)
    for path in found:
        shutil.copyfile(path, folder / path.name)
    repository = metadata.get('repository')
    return {
        'package': package,
        'version': version,
        'folder': f'{STATIC_FOLDER}/{folder_of(package, version)}',
        'license': metadata.get('license'),
        'license_files': [path.name for path in found],
        'license_from': None if source == package else f'{source}@{versions[source]}',
        'repository': repository.get('url') if isinstance(repository, dict) else repository,
    }


def problems() -> list[str]:
    """What is wrong with the vendored files, offline; empty when all is well.

    Every file graphene-django's page loads must be shipped; the shipped bytes
    must hash to graphiql.json's integrity and, with the cut suffix put back,
    to graphene-django's own SRI value; every package's license must be there.
    """
    from gql_djwto.graphiql import MANIFEST, cdn_files

    manifest = json.loads(MANIFEST.read_text(encoding='utf-8'))
    shipped = {entry['cdn_url']: entry for entry in manifest['files']}
    found: list[str] = []
    wanted = cdn_files()
    for file in wanted:
        entry = shipped.get(file.url)
        if entry is None:
            found.append(f'NOT SHIPPED {file.url}: graphene-django loads it now')
            continue
        path = PACKAGE / 'static' / entry['static_path']
        if not path.is_file():
            found.append(f'MISSING {path}')
            continue
        data = path.read_bytes()
        if sri(data, SHIPPED_SRI) != entry['integrity']:
            found.append(f'MISMATCH {path}: graphiql.json says {entry["integrity"]}')
        if entry['cdn_integrity'] != file.integrity or not matches_sri(
            data + entry['removed_suffix'].encode('utf-8'), file.integrity
        ):
            found.append(f'NOT THE CDN FILE {path}: graphene-django pins {file.integrity}')
    urls = {file.url for file in wanted}
    found.extend(f'STALE {url}: graphene-django no longer loads it' for url in shipped if url not in urls)
    for package in manifest['packages']:
        for name in package['license_files']:
            if not (PACKAGE / 'static' / package['folder'] / name).is_file():
                found.append(f'NO LICENSE {package["folder"]}/{name}')
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--check', action='store_true', help='only check the vendored files (offline)')
    parser.add_argument('--cache', default=DEFAULT_CACHE_DIR, help='npm pack cache folder')
    args = parser.parse_args(argv)
    setup_django()
    if not args.check:
        vendor(args.cache)
    found = problems()
    print(
        '\n'.join(found)
        or f'vendored GraphiQL files match graphene-django '
        f'({sum(p.stat().st_size for p in VENDORED.rglob("*") if p.is_file())} bytes)'
    )
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
