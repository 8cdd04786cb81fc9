"""The token's user: built from its claims, or looked up in the database.

:func:`claimed_user` is the one lookup of the user a ``user`` claim names,
for ``request.user``, the reissued claims and djwto's update check. A
:class:`TokenUser` answers what Django and most libraries ask of
``request.user`` (who, authenticated or not, which permissions) from the
token's ``user`` claim, without a database query. It is not a model
instance: code that saves the user, or needs its groups, its e-mail or its
other fields, asks for the database user with ``DJWTO_REQUEST_USER =
'database'``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from .claims import Claims
from .settings import djwto_settings

USERNAME_FIELD_KEY = ('USERNAME_FIELD',)


def _read_username_field() -> str:
    return get_user_model().USERNAME_FIELD


def username_field() -> str:
    """Return the user model's USERNAME_FIELD, the key of the name in the ``user`` claim.

    Kept with the settings (get_user_model() costs more than the rest of a
    TokenUser), and forgotten with them, as when a test swaps AUTH_USER_MODEL.
    """
    return djwto_settings.derived(USERNAME_FIELD_KEY, _read_username_field)


class UserLookup(enum.Enum):
    """Which keys of the ``user`` claim find the user."""

    # The id, and the username when the claim holds it: a deleted account's id
    # given to a new one does not pass (request.user, revokeAll).
    ID_AND_USERNAME = 'id and username'
    # The id (a renamed user keeps the session), else the username (reissued claims).
    ID_ELSE_USERNAME = 'id else username'
    # The username, by the manager's natural key, as djwto's updateRefresh finds it.
    USERNAME = 'username'


def claimed_user(user_claim: object, lookup: UserLookup, annotations: Mapping[str, Any] | None = None) -> Any:
    """Return the user the ``user`` claim names, or None: no such user, or a claim that names none.

    ``annotations`` are added to the query (not with ``USERNAME``), so that
    one statement can bring what the caller needs beside the user.
    """
    if not isinstance(user_claim, dict):
        return None
    User = get_user_model()
    manager = User._default_manager
    name_field = User.USERNAME_FIELD
    username = user_claim.get(name_field)
    filters: dict[str, Any]
    try:
        if lookup is UserLookup.USERNAME:
            return manager.get_by_natural_key(username) if isinstance(username, str) else None
        if 'id' in user_claim:
            filters = {'pk': user_claim['id']}
            if lookup is UserLookup.ID_AND_USERNAME and username is not None:
                filters[name_field] = username
        elif lookup is UserLookup.ID_ELSE_USERNAME and isinstance(username, str):
            filters = {name_field: username}
        else:
            return None
        query = manager.filter(**filters)
        if annotations:
            query = query.annotate(**annotations)
        return query.first()
    except (User.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError):
        return None  # no such user, or a key the column cannot hold


class TokenUser:
    """A user known from an access token's ``user`` claim (id, username, perms).

    Permissions are those the token carries (``perms``), as djwto's
    ``jwt_perm_required`` reads them; object permissions are never granted.
    ``is_staff`` and ``is_superuser`` are False unless the claims handler put
    them in the claim. Two token users are equal when their ids are.
    """

    is_active = True  # tokens are only issued to active users
    is_authenticated = True
    is_anonymous = False

    def __init__(self, user_claim: Claims) -> None:
        self.claim = user_claim
        self.pk = self.id = user_claim['id']

    @property
    def USERNAME_FIELD(self) -> str:
        return username_field()

    @cached_property
    def perms(self) -> frozenset[str]:
        return frozenset(self.claim.get('perms') or ())

    def __getattr__(self, name: str) -> Any:
        # The other keys of the claim, e.g. ``username`` or ``email``.
        claim = self.__dict__.get('claim') or {}
        if name in claim:
            return claim[name]
        raise AttributeError(f'{type(self).__name__} has no attribute {name!r}')

    @property
    def is_staff(self) -> bool:
        return self.claim.get('is_staff') is True

    @property
    def is_superuser(self) -> bool:
        return self.claim.get('is_superuser') is True

    def get_username(self) -> str:
        return str(self.claim.get(username_field(), ''))

    def get_all_permissions(self, obj: Any = None) -> set[str]:
        return set() if obj is not None else set(self.perms)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return obj is None and perm in self.perms

    def has_perms(self, perm_list: Iterable[str], obj: Any = None) -> bool:
        if isinstance(perm_list, str) or not isinstance(perm_list, Iterable):
            raise ValueError('perm_list must be an iterable of permissions.')
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        prefix = f'{app_label}.'
        return any(perm.startswith(prefix) for perm in self.perms)

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "A TokenUser is read from the token: set DJWTO_REQUEST_USER = 'database' to save users."
        )

    delete = save

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenUser):
            return NotImplemented
        return bool(self.pk == other.pk)

    def __hash__(self) -> int:
        return hash(self.pk)

    def __str__(self) -> str:
        return self.get_username()

    def __repr__(self) -> str:
        return f'<{type(self).__name__} {self.pk}: {self.get_username()}>'
