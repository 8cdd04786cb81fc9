"""The documentation site's mermaid, served by the site itself rather than by a CDN.

    python -m scripts.docs_assets           # write docs/assets/mermaid/ (make docs runs it)
    python -m scripts.docs_assets --check SITE_DIR

Material for MkDocs draws the diagrams with mermaid, which it loads from
unpkg.com unless the page has loaded it already. mkdocs.yml lists
``assets/mermaid/mermaid.min.js`` in ``extra_javascript``, so every page has
it: the first command fetches it once with ``npm pack`` into .cache/ (only
the npm registry is needed), checks it against the hash pinned here and
writes it, with mermaid's license, under docs/assets/mermaid/ (not
committed). ``--check`` reads the built site: no page may load a script,
stylesheet, font or image from another host, and each page with a diagram
loads the site's mermaid.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

from scripts.vendor_graphiql import install_packages

ROOT = Path(__file__).resolve().parents[1]
MERMAID = 'mermaid@11.17.2'  # Material 9's integration calls mermaid 11's API
MERMAID_SHA384 = 'EOXBFmc3gx5mb+vn0vPvvGqACToJD24hhacX5Yx+8NUUQrHIle/Qi5Bg9o3zKwW2'  # dist/mermaid.min.js
TARGET = ROOT / 'docs' / 'assets' / 'mermaid'
SCRIPT = 'assets/mermaid/mermaid.min.js'  # as mkdocs.yml's extra_javascript names it
CACHE = Path(os.environ.get('GQL_DJWTO_NPM_CACHE', ROOT / '.cache' / 'npm'))
# What a page loads by itself: <script src>, <link href> (stylesheets, fonts, icons), <img src>.
LOADED = re.compile(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"')


def sha384(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


def write_mermaid() -> Path:
    """Fetch mermaid (once), check its hash and write it under docs/assets/mermaid/."""
    if not shutil.which('npm'):
        sys.exit(
            'make docs: npm is needed once, to fetch mermaid for the diagrams (Debian: apt-get install npm)'
        )
    package = install_packages([MERMAID], CACHE) / MERMAID
    script = (package / 'dist' / 'mermaid.min.js').read_bytes()
    if sha384(script) != MERMAID_SHA384:
        sys.exit(f'make docs: {MERMAID} dist/mermaid.min.js does not match the hash pinned in {__file__}')
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / 'mermaid.min.js').write_bytes(script)
    shutil.copyfile(package / 'LICENSE', TARGET / 'LICENSE')
    return TARGET / 'mermaid.min.js'


def outside_loads(html: str) -> list[str]:
    """The addresses on another host that ``html`` loads (links it merely points to are not loaded)."""
    found = [src or href for src, href in LOADED.findall(html)]
    return [url for url in found if url.startswith(('http:', 'https:', '//'))]


def check_site(site: Path) -> list[str]:
    """What is wrong with the built ``site``: outside loads, or diagrams without the site's mermaid."""
    problems = []
    if not (site / SCRIPT).is_file():
        problems.append(f'{site / SCRIPT} is missing')
    for page in sorted(site.rglob('*.html')):
        html = page.read_text()
        name = page.relative_to(site)
        problems += [f'{name} loads {url}' for url in outside_loads(html)]
        if 'class="mermaid"' in html and not re.search(
            rf'<script\b[^>]*src="[^"]*{re.escape(SCRIPT)}"', html
        ):
            problems.append(f'{name} has a diagram but does not load {SCRIPT}')
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', metavar='SITE_DIR', type=Path)
    args = parser.parse_args()
    if args.check is None:
        print(f'docs: {write_mermaid().relative_to(ROOT)} ({MERMAID})')
        return 0
    problems = check_site(args.check)
    for problem in problems:
        print(f'make docs: {problem}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
