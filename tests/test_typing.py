"""The types gql_djwto declares for type checkers agree with the values it hands out (py.typed)."""

from __future__ import annotations

import collections.abc
import types
import typing
from datetime import timedelta
from typing import Any, Literal

import pytest
from django.http import HttpRequest

from gql_djwto.settings import DEFAULTS, DjwtoSettings, djwto_settings

SETTING_NAMES = sorted(name.removeprefix('DJWTO_') for name in DEFAULTS)


def declared_setting_types() -> dict[str, Any]:
    # HttpRequest is imported for type checkers only in gql_djwto.settings.
    hints = typing.get_type_hints(DjwtoSettings, localns={'HttpRequest': HttpRequest})
    return {name: hint for name, hint in hints.items() if not name.startswith('_')}


def matches(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the declared type ``hint`` (containers by their own type only)."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in typing.get_args(hint))
    if origin is Literal:
        return value in typing.get_args(hint)
    if origin is collections.abc.Callable:
        return callable(value)
    return isinstance(value, origin or hint)


def test_every_setting_has_a_declared_type_and_no_other_is_declared():
    assert sorted(declared_setting_types()) == SETTING_NAMES


@pytest.mark.parametrize('name', SETTING_NAMES)
def test_each_setting_is_of_its_declared_type(name):
    assert matches(getattr(djwto_settings, name), declared_setting_types()[name])


@pytest.mark.parametrize(
    ('value', 'hint', 'expected'),
    [
        (timedelta(0), timedelta | None, True),
        (0, timedelta | None, False),
        ('Lax', str | Literal[False] | None, True),
        (True, str | Literal[False] | None, False),
        (print, collections.abc.Callable[[Any], list[str]], True),
        ('gql_djwto.claims.user_perms', collections.abc.Callable[[Any], list[str]], False),
        ((), collections.abc.Sequence[str], True),
    ],
)
def test_the_type_comparison_itself_refuses_what_differs(value, hint, expected):
    assert matches(value, hint) is expected
