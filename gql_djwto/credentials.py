"""End a user's sessions when their password changes or they are deactivated (DJWTO_REVOKE_ALL).

A ``pre_save`` receiver on the user model compares the row about to be
written with the stored one, so every way of saving a user is seen:
``set_password()``, ``set_unusable_password()``, the admin's forms,
``changepassword``, ``is_active = False``. ``QuerySet.update()`` sends no
signal and is not seen. A re-hash of the same password (Django upgrading
the hasher at login) is not a change. The cutoff joins the saving
transaction, so a change rolled back revokes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher

from .sessions import revoke_user_sessions
from .settings import djwto_settings

WATCHED_FIELDS = frozenset({'password', 'is_active'})


def _is_rehash(old_password: str, user: Any, update_fields: Any) -> bool:
    """Whether this save is Django's hasher upgrade: the same password, hashed anew at login.

    ``check_password``'s setter saves only the password, with no raw
    password pending, and only when the stored hash needed an update.
    """
    if (
        update_fields is None
        or set(update_fields) != {'password'}
        or getattr(user, '_password', None) is not None
    ):
        return False
    try:
        old_hasher, preferred = identify_hasher(old_password), get_hasher()
    except ValueError:  # an unusable or unknown hash: not one Django upgrades
        return False
    return old_hasher.algorithm != preferred.algorithm or preferred.must_update(old_password)


def _cause(sender: Any, user: Any, update_fields: Any) -> str | None:
    """Return why saving ``user`` ends their sessions ('password', 'deactivated'), or None."""
    fields = ['password'] + (['is_active'] if hasattr(user, 'is_active') else [])
    old = sender._default_manager.filter(pk=user.pk).values(*fields).first()
    if old is None:
        return None
    watched = WATCHED_FIELDS if update_fields is None else WATCHED_FIELDS & set(update_fields)
    if (
        'password' in watched
        and old['password'] != user.password
        and not _is_rehash(old['password'], user, update_fields)
    ):
        return 'password'
    if 'is_active' in watched and old.get('is_active') and not user.is_active:
        return 'deactivated'
    return None


def end_sessions_on_credential_change(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save receiver: move the user's cutoff when their password or is_active changes."""
    if raw or not djwto_settings.value_or_default('REVOKE_ALL') or instance._state.adding:
        return
    if not issubclass(sender, get_user_model()):
        return
    if update_fields is not None and not WATCHED_FIELDS & set(update_fields):
        return  # e.g. the last_login of every login: no query
    cause = _cause(sender, instance, update_fields)
    if cause is not None:
        revoke_user_sessions(instance, cause=cause)
