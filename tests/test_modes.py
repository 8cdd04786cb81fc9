"""The mode and cookie names are written once, in gql_djwto/modes.py."""

import re
from pathlib import Path

import gql_djwto
from gql_djwto import modes

PACKAGE = Path(gql_djwto.__file__).parent
NAMES = [
    modes.JSON,
    modes.ONE_COOKIE,
    modes.TWO_COOKIES,
    modes.REFRESH_COOKIE,
    modes.ACCESS_COOKIE,
    modes.ACCESS_PAYLOAD_COOKIE,
    modes.ACCESS_TOKEN_COOKIE,
]


def test_no_module_but_modes_spells_a_mode_or_cookie_name():
    # A quoted name, as code writes it; prose (docstrings, messages) may name them unquoted.
    spelled = re.compile('|'.join(rf'(["\']){re.escape(name)}\1' for name in NAMES))
    found = [
        f'{path.relative_to(PACKAGE)}:{number}: {line.strip()}'
        for path in sorted(PACKAGE.rglob('*.py'))
        if path.name != 'modes.py'
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if spelled.search(line)
    ]
    assert found == []


def test_each_cookie_mode_reads_the_access_token_from_a_cookie_it_sets():
    for mode in modes.COOKIE_MODES:
        assert modes.access_cookie_name(mode) in modes.access_cookie_names(mode)
    assert modes.access_cookie_names(modes.ONE_COOKIE) == ('jwt_access',)
    assert modes.access_cookie_names(modes.TWO_COOKIES) == ('jwt_access_payload', 'jwt_access_token')
