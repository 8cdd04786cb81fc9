"""Serve graphene-django's GraphiQL CDN files locally, for offline browser tests.

graphene-django's GraphiQL page loads its scripts and styles from jsDelivr
with subresource integrity (SRI). With no CDN access we fetch the very same
npm package versions once (``npm pack``, which needs only the npm registry),
and a Playwright route answers jsDelivr requests from that cache. The files
are byte-identical to the CDN's, so the integrity checks still pass.

What to fetch is read from graphene-django itself: the GraphiQL template names
each CDN file together with the ``GraphQLView`` attributes holding its
version and SRI hash.

    python -m tests.browser.cdn_assets [CACHE_DIR]   # fetch and verify
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CDN_PREFIX = "https://cdn.jsdelivr.net/npm/"
DEFAULT_CACHE_DIR = Path(
    os.environ.get(
        "GRAPHIQL_NPM_CACHE",
        Path(__file__).resolve().parents[2] / ".cache" / "graphiql-npm",
    )
)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".map": "application/json"}

# In graphiql.html: src|href="https://cdn.jsdelivr.net/npm/<pkg>@{{<version attr>}}/<path>"
# followed by integrity="{{<sri attr>}}".
_TEMPLATE_ASSET = re.compile(
    r'"https://cdn\.jsdelivr\.net/npm/(?P<package>(?:@[^/"]+/)?[^@/"]+)'
    r'@\{\{\s*(?P<version_attr>\w+)\s*\}\}/(?P<path>[^"]+)"'
    r'\s+integrity="\{\{\s*(?P<sri_attr>\w+)\s*\}\}"'
)


@dataclass(frozen=True)
class Asset:
    package: str  # e.g. "@graphiql/plugin-explorer"
    version: str
    path: str  # inside the package, e.g. "dist/style.css"
    sri: str  # e.g. "sha256-..."

    @property
    def url(self) -> str:
        return f"{CDN_PREFIX}{self.package}@{self.version}/{self.path}"


def graphiql_assets(view_class=None) -> list[Asset]:
    """The CDN files graphene-django's GraphiQL page loads, with versions and
    SRI hashes taken from ``view_class`` (default ``GraphQLView``)."""
    import graphene_django
    from graphene_django.views import GraphQLView

    view_class = view_class or GraphQLView
    template = Path(graphene_django.__file__).parent / "templates" / view_class.graphiql_template
    assets = [
        Asset(
            package=m["package"],
            version=getattr(view_class, m["version_attr"]),
            path=m["path"],
            sri=getattr(view_class, m["sri_attr"]),
        )
        for m in _TEMPLATE_ASSET.finditer(template.read_text())
    ]
    if not assets:
        raise RuntimeError(f"no CDN assets found in {template}; has the template changed?")
    return assets


def install_packages(cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR, view_class=None) -> Path:
    """Fetch every npm package (exact version) that GraphiQL loads into
    ``cache_dir/<package>@<version>/`` -- the same layout as the CDN URLs.
    Packages already present are skipped. Returns the cache dir."""
    cache = Path(cache_dir)
    specs = sorted({f"{a.package}@{a.version}" for a in graphiql_assets(view_class)})
    missing = [s for s in specs if not (cache / s / "package.json").is_file()]
    if not missing:
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        out = subprocess.run(
            ["npm", "pack", "--json", "--pack-destination", tmp, *missing],
            check=True, capture_output=True, text=True,
        )
        for packed in json.loads(out.stdout):
            spec = f"{packed['name']}@{packed['version']}"
            staging = Path(tmp) / "x"
            with tarfile.open(Path(tmp) / packed["filename"]) as tar:
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
            raise tarfile.TarError(f"refusing {member.name!r}: not a regular file or folder")
        if Path(member.name).is_absolute() or not path.is_relative_to(root):
            raise tarfile.TarError(f"refusing {member.name!r}: outside {root}")
    for member in members:
        path = (root / member.name).resolve()
        if member.isdir():
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, path.open("wb") as output:
            shutil.copyfileobj(source, output)


def local_path(url: str, cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> Path | None:
    """Map ``https://cdn.jsdelivr.net/npm/<pkg>@<ver>/<path>`` to its file in
    the cache, or None if the URL is not such a URL or the file is absent."""
    if not url.startswith(CDN_PREFIX):
        return None
    rel = urlsplit(url).path[len("/npm/"):]
    if not re.match(r"(@[^/]+/)?[^@/]+@[^/]+/.", rel):
        return None  # no pinned version or no file path
    root = Path(cache_dir).resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def route_cdn(page_or_context, cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR):
    """Route all requests of a Playwright page or browser context: jsDelivr
    files come from the cache (404 when missing), 127.0.0.1/localhost passes
    through, anything else is aborted.

    Works with the sync API; with the async API, await the returned value."""
    def handle(route, request):
        url = request.url
        if url.startswith(CDN_PREFIX):
            path = local_path(url, cache_dir)
            if path is None:
                return route.fulfill(status=404, headers={"Access-Control-Allow-Origin": "*"},
                                     body=f"not in offline cache: {url}")
            content_type = CONTENT_TYPES.get(path.suffix) or (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream")
            return route.fulfill(
                status=200,
                body=path.read_bytes(),
                headers={"Content-Type": content_type, "Access-Control-Allow-Origin": "*"},
            )
        if urlsplit(url).hostname in LOCAL_HOSTS:
            return route.continue_()
        return route.abort("blockedbyclient")

    return page_or_context.route("**/*", handle)


def sri_of(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """The SRI string (``<algo>-<base64 digest>``) of a file."""
    digest = hashlib.new(algorithm, Path(path).read_bytes()).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def verify_sri(cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR, view_class=None) -> list[str]:
    """Compare each cached file with the SRI hash graphene-django pins for it.
    Returns one message per missing file or mismatch; empty means all good."""
    problems = []
    for asset in graphiql_assets(view_class):
        path = local_path(asset.url, cache_dir)
        if path is None:
            problems.append(f"MISSING  {asset.url}: not in {cache_dir}")
            continue
        expected = asset.sri.split()  # SRI may list several hashes; one match suffices
        actual = {sri_of(path, e.split("-", 1)[0]) for e in expected}
        if not actual.intersection(expected):
            problems.append(
                f"MISMATCH {asset.url}: expected {asset.sri}, "
                f"file {path} has {' '.join(sorted(actual))}"
            )
    return problems


if __name__ == "__main__":
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure()
        django.setup()
    cache = install_packages(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CACHE_DIR)
    errors = verify_sri(cache)
    for asset in graphiql_assets():
        print(asset.sri, asset.url)
    print("\n".join(errors) or f"all SRI hashes match ({cache})")
    sys.exit(1 if errors else 0)
