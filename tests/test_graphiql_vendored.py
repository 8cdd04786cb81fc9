"""The GraphiQL files gql_djwto ships: graphene-django's very files, with their licenses, in the wheel and sdist.

The guard test fails when graphene-django's GraphiQL versions or hashes
change and the vendored files no longer match: run
``python -m scripts.vendor_graphiql`` then.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from graphene_django.views import GraphQLView

from gql_djwto.graphiql import MANIFEST, cdn_files, shipped_files
from scripts import vendor_graphiql
from scripts.vendor_graphiql import problems

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_DATA = json.loads(MANIFEST.read_text(encoding='utf-8'))


def test_the_vendored_files_are_graphene_djangos_cdn_files():
    assert problems() == []


def test_the_guard_fails_when_graphene_django_pins_another_hash(monkeypatch):
    monkeypatch.setattr(GraphQLView, 'graphiql_sri', 'sha256-' + 'A' * 43 + '=')
    assert [line.split(' /')[0] for line in problems()] == ['NOT THE CDN FILE']


def test_the_guard_fails_when_graphene_django_loads_another_version(monkeypatch):
    monkeypatch.setattr(GraphQLView, 'graphiql_plugin_explorer_version', '0.1.16')
    explorer = 'https://cdn.jsdelivr.net/npm/@graphiql/plugin-explorer'
    assert sorted(line.split(': ', 1)[0] for line in problems()) == [
        f'NOT SHIPPED {explorer}@0.1.16/dist/graphiql-plugin-explorer.umd.js',
        f'NOT SHIPPED {explorer}@0.1.16/dist/style.css',
        f'STALE {explorer}@0.1.15/dist/graphiql-plugin-explorer.umd.js',
        f'STALE {explorer}@0.1.15/dist/style.css',
    ]


def test_the_guard_fails_on_a_changed_byte(monkeypatch, tmp_path):
    package = tmp_path / 'gql_djwto'
    shutil.copytree(ROOT / 'gql_djwto' / 'static', package / 'static')
    changed = package / 'static' / shipped_files()[0].static_path
    changed.write_bytes(changed.read_bytes().replace(b'{', b' {', 1))
    monkeypatch.setattr(vendor_graphiql, 'PACKAGE', package)
    assert [line.split(' /')[0] for line in problems()] == ['MISMATCH', 'NOT THE CDN FILE']


def test_only_a_trailing_source_map_comment_was_cut():
    cut = {
        Path(file.static_path).name: file.removed_suffix for file in shipped_files() if file.removed_suffix
    }
    assert cut == {
        'graphiql.min.css': '\n/*# sourceMappingURL=graphiql.min.css.map*/',
        'graphiql.min.js': '\n//# sourceMappingURL=graphiql.min.js.map',
    }


def test_every_package_ships_its_mit_license_beside_its_files():
    packages = {entry['package'] for entry in MANIFEST_DATA['packages']}
    assert packages == {file.package for file in cdn_files()}
    for entry in MANIFEST_DATA['packages']:
        assert entry['license'] == 'MIT', entry
        for name in entry['license_files']:
            text = (ROOT / 'gql_djwto' / 'static' / entry['folder'] / name).read_text(encoding='utf-8')
            assert 'Permission is hereby granted, free of charge' in text, (entry['package'], name)


@pytest.mark.parametrize('kind', ['wheel', 'sdist'])
def test_the_files_their_licenses_and_graphiql_json_ship_in_the_distributions(distributions, kind):
    shipped = {'gql_djwto/graphiql.json'}
    shipped |= {f'gql_djwto/static/{file.static_path}' for file in shipped_files()}
    shipped |= {
        f'gql_djwto/static/{entry["folder"]}/{name}'
        for entry in MANIFEST_DATA['packages']
        for name in entry['license_files']
    }
    assert len(shipped) == 1 + 8 + 6  # graphiql.json, the page's files, the six packages' licenses
    assert shipped - getattr(distributions, kind) == set()
