"""Serve graphene-django's GraphiQL CDN files locally, for offline browser tests of 'cdn' mode.

With DJWTO_GRAPHIQL_ASSETS = 'cdn', graphene-django's GraphiQL page loads its
scripts and styles from jsDelivr with subresource integrity (SRI). With no
CDN access we fetch the very same npm package versions once (``npm pack``,
which needs only the npm registry; scripts/vendor_graphiql.py), and a
Playwright route answers jsDelivr requests from that cache. The files are
byte-identical to the CDN's, so the integrity checks still pass.

What to fetch is read from graphene-django itself
(``gql_djwto.graphiql.cdn_files``).

    python -m tests.browser.cdn_assets [CACHE_DIR]   # fetch and verify
"""

from __future__ import annotations

import mimetypes
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from gql_djwto.graphiql import CDN_PREFIX, cdn_files
from scripts.vendor_graphiql import DEFAULT_CACHE_DIR, matches_sri
from scripts.vendor_graphiql import install_packages as install_specs

LOCAL_HOSTS = {'127.0.0.1', 'localhost', '::1'}
CONTENT_TYPES = {'.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json'}


def install_packages(cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> Path:
    """Fetch every npm package (exact version) that GraphiQL loads into
    ``cache_dir/<package>@<version>/`` -- the same layout as the CDN URLs."""
    return install_specs([f'{file.package}@{file.version}' for file in cdn_files()], cache_dir)


def local_path(url: str, cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> Path | None:
    """Map ``https://cdn.jsdelivr.net/npm/<pkg>@<ver>/<path>`` to its file in
    the cache, or None if the URL is not such a URL or the file is absent."""
    if not url.startswith(CDN_PREFIX):
        return None
    rel = urlsplit(url).path[len('/npm/') :]
    if not re.match(r'(@[^/]+/)?[^@/]+@[^/]+/.', rel):
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
                return route.fulfill(
                    status=404,
                    headers={'Access-Control-Allow-Origin': '*'},
                    body=f'not in offline cache: {url}',
                )
            content_type = CONTENT_TYPES.get(path.suffix) or (
                mimetypes.guess_type(path.name)[0] or 'application/octet-stream'
            )
            return route.fulfill(
                status=200,
                body=path.read_bytes(),
                headers={'Content-Type': content_type, 'Access-Control-Allow-Origin': '*'},
            )
        if urlsplit(url).hostname in LOCAL_HOSTS:
            return route.continue_()
        return route.abort('blockedbyclient')

    return page_or_context.route('**/*', handle)


def verify_sri(cache_dir: str | os.PathLike = DEFAULT_CACHE_DIR) -> list[str]:
    """Compare each cached file with the SRI hash graphene-django pins for it.
    Returns one message per missing file or mismatch; empty means all good."""
    problems = []
    for file in cdn_files():
        path = local_path(file.url, cache_dir)
        if path is None:
            problems.append(f'MISSING  {file.url}: not in {cache_dir}')
        elif not matches_sri(path.read_bytes(), file.integrity):
            problems.append(f'MISMATCH {file.url}: expected {file.integrity}, file {path} differs')
    return problems


if __name__ == '__main__':
    from scripts.vendor_graphiql import setup_django

    setup_django()
    cache = install_packages(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CACHE_DIR)
    errors = verify_sri(cache)
    for file in cdn_files():
        print(file.integrity, file.url)
    print('\n'.join(errors) or f'all SRI hashes match ({cache})')
    sys.exit(1 if errors else 0)
