"""Revoking a session: every token that carries its ``jti``.

A session (a token family) is known by its refresh token's ``jti``, which
every access token of the session carries too. Revoking it is one
blacklist row; this is the one place that writes it for a whole session.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, router, transaction

from .models import JWTBlacklist


def revoke_jti(jti: str, expires: datetime | None, *, token: str = '') -> bool:
    """Blacklist the session ``jti`` until ``expires``; return whether it was newly stored.

    Durable, as revoke is: the row is committed when this returns, so no
    transaction around the caller can roll the revocation back (Django
    raises RuntimeError if one is open).
    """
    try:
        with transaction.atomic(using=router.db_for_write(JWTBlacklist), durable=True):
            JWTBlacklist.objects.create(
                jti=JWTBlacklist.stored_jti(jti), token=token or None, expires=expires,
            )
    except IntegrityError:
        return False
    return True
