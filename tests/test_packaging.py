"""What the sdist and wheel say and hold: one version, the CI matrix's classifiers, a self-testing sdist.

`make dist` builds both with `python -m build` and runs `twine check --strict`;
`make sdist-test` runs the unpacked sdist's own tests in a new virtualenv.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from packaging.requirements import Requirement

import gql_djwto
from scripts.demo_requirements import demo_requirements

from .processes import REPO

# In the checkout but not in the sdist: the CI machinery.
NOT_IN_SDIST = ('.ci/', '.gitignore')
# Written by the build into every sdist.
BUILD_FILES = ('PKG-INFO', 'setup.cfg', 'gql_djwto.egg-info/')


# pyproject.toml's [project] table, up to the next table (tomllib is not in Python 3.10).
PROJECT_TABLE = re.compile(r'^\[project\]\n(.*?)^\[', re.MULTILINE | re.DOTALL)
# The Django minor of a pin of noxfile.py: 'Django==4.2.0' or 'Django~=5.2.0'.
DJANGO_PIN = re.compile(r'^Django[=~]=(\d+\.\d+)')


def test_the_version_is_written_once_as_gql_djwto_version(distributions):
    project = PROJECT_TABLE.search((REPO / 'pyproject.toml').read_text(encoding='utf-8'))[1]
    assert re.search(r'^version\s*=', project, re.MULTILINE) is None
    assert re.search(r'^dynamic = \["version"\]$', project, re.MULTILINE)
    assert distributions.wheel_metadata['Version'] == gql_djwto.__version__
    assert distributions.sdist_metadata['Version'] == gql_djwto.__version__


def matrix() -> tuple[set[str], list[str]]:
    """The Pythons of noxfile.py's cells (``interpreter('3.10')``) and its pinned Django minors."""
    tree = ast.parse((REPO / 'noxfile.py').read_text(encoding='utf-8'))
    pythons = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'interpreter' and node.args
    }
    pins = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in {'FLOOR', 'DJANGO52'}
    }
    django = [match[1] for pin in pins['FLOOR'] + pins['DJANGO52'] if (match := DJANGO_PIN.match(pin))]
    return pythons, django


def minors(classifiers: list[str], prefix: str) -> list[tuple[int, ...]]:
    """The versions ``prefix`` classifies, as (major, minor), e.g. (4, 2) of 'Framework :: Django :: 4.2'."""
    found = [line.removeprefix(prefix) for line in classifiers if line.startswith(prefix)]
    return sorted(version_key(version) for version in found if '.' in version)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split('.'))


def test_classifiers_name_exactly_the_pythons_and_djangos_ci_runs(distributions):
    """The matrix's Pythons and those between them (`make test` runs the machine's python3), and its Djangos.

    Each cell fails when its own versions are not classified; this fails
    when the list names more: the floor's and Django 5.2's pins, plus one
    newer Django, the newest the ceiling cell installs.
    """
    classifiers = distributions.wheel_metadata.get_all('Classifier')
    pythons, pinned_django = matrix()
    lowest, highest = min(pythons, key=version_key), max(pythons, key=version_key)
    expected_pythons = [(3, minor) for minor in range(version_key(lowest)[1], version_key(highest)[1] + 1)]
    assert minors(classifiers, 'Programming Language :: Python :: ') == expected_pythons
    assert distributions.wheel_metadata['Requires-Python'] == f'>={lowest}'

    django = minors(classifiers, 'Framework :: Django :: ')
    pinned = sorted(version_key(version) for version in pinned_django)
    assert pinned == [(4, 2), (5, 2)]
    assert django[:2] == pinned and len(django) == 3 and django[2] > pinned[-1], django


def test_the_metadata_links_the_project_and_passes_the_readme(distributions):
    urls = dict(line.split(', ', 1) for line in distributions.wheel_metadata.get_all('Project-URL'))
    assert set(urls) >= {'Homepage', 'Source', 'Issues', 'Changelog'}
    assert all(url.startswith('https://') for url in urls.values())
    assert distributions.wheel_metadata['Description-Content-Type'] == 'text/markdown'
    assert distributions.wheel_metadata.get_payload().strip() == (REPO / 'README.md').read_text().strip()


def test_the_sdist_holds_every_file_of_the_tree_but_the_ci_machinery(distributions):
    expected = {name for name in distributions.sources if not name.startswith(NOT_IN_SDIST + BUILD_FILES)}
    built = {name for name in distributions.sdist if not name.startswith(BUILD_FILES)}
    assert sorted(expected - built) == [], 'add these to MANIFEST.in'
    assert sorted(built - expected) == [], 'files the checkout does not have'
    # What the sdist's tests need, whatever the tree holds: they run from it.
    assert {'LICENSE', 'pyproject.toml', 'tests/conftest.py', 'schema_demo/settings.py'} <= built


def test_the_wheel_holds_the_package_and_its_license_only(distributions):
    tops = {Path(name).parts[0] for name in distributions.wheel}
    assert tops == {'gql_djwto', f'gql_djwto-{gql_djwto.__version__}.dist-info'}
    assert f'gql_djwto-{gql_djwto.__version__}.dist-info/licenses/LICENSE' in distributions.wheel
    assert not any('__pycache__' in name or name.endswith('.pyc') for name in distributions.wheel)


def test_make_demo_installs_the_runtime_dependencies_and_the_demo_extra_only(distributions):
    """What scripts/demo_requirements.py reads from pyproject.toml is what the wheel says, and no test tool."""
    requires = [Requirement(line) for line in distributions.wheel_metadata.get_all('Requires-Dist')]
    demo = [
        requirement
        for requirement in requires
        if requirement.marker is None or requirement.marker.evaluate({'extra': 'demo'})
    ]
    assert {'pytest', 'playwright', 'hypothesis', 'schemathesis'}.isdisjoint(r.name for r in demo)
    for requirement in demo:
        requirement.marker = None
    assert sorted(str(Requirement(line)) for line in demo_requirements()) == sorted(map(str, demo))
