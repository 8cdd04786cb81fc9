"""Sessions and their revocation: one session, or every session of a user.

A session is known by its refresh token's ``jti``, which every access token
of the session carries too; revoking it is one blacklist row
(:func:`revoke_jti`). Revoking a user's sessions (ours, DJWTO_REVOKE_ALL)
moves the user's cutoff to now (:func:`revoke_user_sessions`): tokens
issued before it are refused. Both are also written to the revocation cache
when one is configured, so access tokens are refused at once.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, cast

from django.db import IntegrityError, connections, models, router, transaction
from django.http import HttpRequest

from . import errors, signals
from .claims import Claims
from .errors import InvalidToken, Reason
from .models import JWTBlacklist, UserRevocation, column_name, expiry_from_epoch
from .revocation import record_revoked_jti, record_user_cutoff
from .settings import djwto_settings


def revoke_jti(jti: str, expires: datetime | None, *, token: str = '') -> bool:
    """Blacklist the session ``jti`` until ``expires``; return whether it was newly stored.

    Durable: the row is committed when this returns, so no transaction
    around the caller can roll it back (Django raises RuntimeError if one
    is open). The revocation cache learns it either way: a row stored while
    the cache was down reaches it on the next try.
    """
    try:
        with transaction.atomic(using=router.db_for_write(JWTBlacklist), durable=True):
            JWTBlacklist.objects.create(
                jti=JWTBlacklist.stored_jti(jti),
                token=token or None,
                expires=expires,
            )
        stored = True
    except IntegrityError:
        stored = False
    record_revoked_jti(jti)
    return stored


def revoke_user_sessions(
    user: Any, *, request: HttpRequest | None = None, cause: str, durable: bool = False
) -> None:
    """End every session of ``user`` issued before now; send ``jwt_all_revoked`` once committed.

    ``durable`` commits the cutoff on return, as revoke commits its row;
    without it the cutoff joins the caller's transaction (a password change
    in the admin), so a rolled-back change revokes nothing. ``cause`` says
    why: 'revokeAll', 'admin', 'password' or 'deactivated'.
    """
    now = time.time()
    using = router.db_for_write(UserRevocation)

    def committed() -> None:
        record_user_cutoff(user.pk, now)
        signals.jwt_all_revoked.send(sender=type(user), request=request, user=user, cause=cause)

    with transaction.atomic(using=using, durable=durable):
        # Not a whole second: a token issued in this second, before now, is refused too.
        UserRevocation.objects.using(using).update_or_create(
            user_id=user.pk, defaults={'not_before': expiry_from_epoch(now)}
        )
        if not durable:
            transaction.on_commit(committed, using=using)
    if durable:
        committed()


def _user_key_field() -> models.Field[Any, Any]:
    """The user model's field that ``UserRevocation.user`` refers to (its primary key)."""
    user_field = cast('models.OneToOneField[Any, Any]', UserRevocation._meta.get_field('user'))
    target: models.Field[Any, Any] = user_field.target_field
    return target


def _user_id(claims: Claims) -> Any:
    """The primary key the token's ``user`` claim names, as the database compares it; or None."""
    user = claims.get('user')
    if not isinstance(user, dict) or user.get('id') is None:
        return None
    try:
        return _user_key_field().to_python(user['id'])
    except Exception:  # noqa: BLE001 - ValidationError, TypeError, whatever the key field raises: no user has that key
        return None


def is_refresh_revoked(refresh_claims: Claims) -> bool:
    """Tell whether the refresh token's session is blacklisted or its user's cutoff passed it.

    One statement: the blacklist's unique ``jti`` index and, with
    DJWTO_REVOKE_ALL, the cutoff's primary key, joined by UNION ALL (plain
    SQL every database Django supports reads alike). Without a ``jti`` or an
    ``iat`` that part is left out; with neither, no query.
    """
    jti = refresh_claims.get('jti') if djwto_settings.JTI_CLAIM else None
    user_id = iat = None
    if djwto_settings.REVOKE_ALL and 'iat' in refresh_claims:
        user_id, iat = _user_id(refresh_claims), refresh_claims['iat']
    if user_id is None:
        return bool(jti) and JWTBlacklist.is_blacklisted(jti)
    connection = connections[router.db_for_read(UserRevocation)]
    quote = connection.ops.quote_name
    cutoff = (
        # Identifiers from the models' meta, quoted; every value is a parameter.
        f'SELECT 1 FROM {quote(UserRevocation._meta.db_table)} '  # noqa: S608
        f'WHERE {quote(column_name(UserRevocation, "user"))} = %s AND {quote("not_before")} > %s'
    )
    params = [
        _user_key_field().get_db_prep_value(user_id, connection),
        connection.ops.adapt_datetimefield_value(expiry_from_epoch(iat)),
    ]
    if jti:
        blacklist = (
            f'SELECT 1 FROM {quote(JWTBlacklist._meta.db_table)} '  # noqa: S608
            f'WHERE {quote(column_name(JWTBlacklist, "jti"))} = %s'
        )
        cutoff = f'{blacklist} UNION ALL {cutoff}'
        params.insert(0, JWTBlacklist.stored_jti(jti))
    with connection.cursor() as cursor:
        cursor.execute(cutoff, params)
        return cursor.fetchone() is not None


def refuse_revoked_refresh(refresh_claims: Claims) -> None:
    """Raise InvalidToken (403) for a revoked refresh token: verify's check when asked for."""
    if is_refresh_revoked(refresh_claims):
        raise InvalidToken(errors.TOKEN_REVOKED, reason=Reason.TOKEN_REVOKED)
