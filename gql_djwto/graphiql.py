"""GraphiQL's scripts and styles served from gql_djwto's static files instead of jsDelivr.

graphene-django's GraphiQL page loads eight files from cdn.jsdelivr.net,
pinned by version and subresource integrity (SRI). gql_djwto ships the same
npm releases under ``static/gql_djwto/graphiql/`` (written by
``scripts/vendor_graphiql.py``, listed with their hashes in
``graphiql.json``). The view keeps graphene-django's page whole (its
settings, its own ``graphiql.js``, whatever a newer release adds) and swaps
only the addresses and integrity values of the files gql_djwto ships; a CDN
file it does not ship stays as it is, and check W007 names it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Engine
from django.templatetags.static import static
from django.utils.html import escape

CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/'
MANIFEST = Path(__file__).with_name('graphiql.json')

# In graphene-django's graphiql.html:
#   src|href="https://cdn.jsdelivr.net/npm/<package>@{{<version attr>}}/<path>"
#   followed by integrity="{{<sri attr>}}", both attributes of GraphQLView.
_TEMPLATE_FILE = re.compile(
    r'"https://cdn\.jsdelivr\.net/npm/(?P<package>(?:@[^/"]+/)?[^@/"]+)'
    r'@\{\{\s*(?P<version_attr>\w+)\s*\}\}/(?P<path>[^"]+)"'
    r'\s+integrity="\{\{\s*(?P<sri_attr>\w+)\s*\}\}"'
)


@dataclass(frozen=True)
class CdnFile:
    """One file graphene-django's GraphiQL page loads from jsDelivr."""

    package: str  # e.g. "@graphiql/plugin-explorer"
    version: str
    path: str  # inside the npm package, e.g. "dist/style.css"
    integrity: str  # graphene-django's SRI value, e.g. "sha256-..."

    @property
    def url(self) -> str:
        return f'{CDN_PREFIX}{self.package}@{self.version}/{self.path}'


def cdn_files(view_class: Any = None) -> list[CdnFile]:
    """The jsDelivr files of ``view_class``'s GraphiQL page (default graphene-django's view).

    Read from the template itself, with each version and SRI value taken
    from the view attribute the template names, so a new graphene-django
    release is read as it is rather than as we remember it.
    """
    if view_class is None:
        from graphene_django.views import GraphQLView

        view_class = GraphQLView
    source = Engine.get_default().get_template(view_class.graphiql_template).source
    return [
        CdnFile(
            package=match['package'],
            version=getattr(view_class, match['version_attr']),
            path=match['path'],
            integrity=getattr(view_class, match['sri_attr']),
        )
        for match in _TEMPLATE_FILE.finditer(source)
    ]


@dataclass(frozen=True)
class ShippedFile:
    """One CDN file as gql_djwto ships it: its static path and the SRI of its shipped bytes."""

    cdn_url: str
    cdn_integrity: str
    static_path: str  # for django.templatetags.static.static()
    integrity: str  # sha384 of the shipped bytes
    # What was cut from the end of the npm file (a source-map comment whose map
    # is not shipped, and that ManifestStaticFilesStorage would rewrite).
    removed_suffix: str


@functools.cache
def shipped_files() -> tuple[ShippedFile, ...]:
    """The files listed in graphiql.json, read once."""
    manifest = json.loads(MANIFEST.read_text(encoding='utf-8'))
    return tuple(ShippedFile(**entry) for entry in manifest['files'])


def unshipped_files(view_class: Any = None) -> list[CdnFile]:
    """The CDN files of ``view_class``'s page that gql_djwto does not ship (by URL and SRI)."""
    shipped = {(file.cdn_url, file.cdn_integrity) for file in shipped_files()}
    return [file for file in cdn_files(view_class) if (file.url, file.integrity) not in shipped]


def with_local_files(page: bytes) -> bytes:
    """Point a rendered GraphiQL page at gql_djwto's static copies of its CDN files.

    URLs come from Django's static files storage (STATIC_URL, the script
    prefix, ManifestStaticFilesStorage's hashed names), so they are resolved
    at each render.
    """
    for file in shipped_files():
        cdn_url = f'"{escape(file.cdn_url)}"'.encode()
        if cdn_url not in page:
            continue
        page = page.replace(cdn_url, f'"{escape(static(file.static_path))}"'.encode())
        page = page.replace(f'"{file.cdn_integrity}"'.encode(), f'"{file.integrity}"'.encode())
    return page
