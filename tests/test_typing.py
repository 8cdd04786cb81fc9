"""The types gql_djwto declares for type checkers agree with the values it hands out (py.typed)."""

from __future__ import annotations

import collections.abc
import inspect
import types
import typing
from datetime import timedelta
from typing import Any, Literal

import pytest
from django.http import HttpRequest, JsonResponse

from gql_djwto.decorators import JWTRequest, jwt_login_required
from gql_djwto.settings import DEFAULTS, DjwtoSettings, djwto_settings
from gql_djwto.testing import tokens_for

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


def test_a_protected_view_keeps_its_signature_and_gets_what_jwt_request_declares(alice, rf, settings):
    settings.DJWTO_MODE = 'JSON'
    seen: list[HttpRequest] = []

    def view(request: JWTRequest, report: str, *, page: int = 1) -> JsonResponse:
        seen.append(request)
        return JsonResponse({'report': report, 'page': page})

    protected = jwt_login_required(view)
    assert inspect.signature(protected) == inspect.signature(view)
    tokens = tokens_for(alice)
    request = rf.get('/report/', HTTP_AUTHORIZATION=f'Bearer {tokens.access}')
    assert protected(request, 'sales', page=2).status_code == 200
    [given] = seen
    declared = typing.get_type_hints(JWTRequest)
    assert set(declared) - set(typing.get_type_hints(HttpRequest)) >= {'payload', 'token'}
    assert given.token == tokens.access and matches(given.token, declared['token'])
    assert given.payload == tokens.access_claims and matches(given.payload, declared['payload'])
