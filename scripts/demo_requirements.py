"""Print what `make demo` installs: gql_djwto's dependencies and its ``demo`` extra, one a line.

The demo runs gql_djwto from the checkout (``python -m schema_demo`` in the
repository's folder), so its virtualenv needs these and nothing else: no
test tools, and no build of the package itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same reader, as pip vendors it
    from pip._vendor import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / 'pyproject.toml'


def demo_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding='utf-8'))['project']
    return [*project['dependencies'], *project['optional-dependencies']['demo']]


if __name__ == '__main__':
    sys.stdout.write(''.join(f'{requirement}\n' for requirement in demo_requirements()))
