"""The blacklist of revoked refresh tokens, the other revocation tables, and their clock.

Every time these tables hold (``expires``, ``created_at``, ``not_before``,
``rotated_at``) is on the blacklist's clock: aware UTC when ``USE_TZ`` is on
and naive UTC when it is off, whatever ``TIME_ZONE`` says (a naive local
time would be ambiguous in the hour a clock is turned back). Writers use
:func:`expiry_from_epoch` (or :func:`stored_expiry` for a claim) and
``delete_tokens`` compares with :func:`stored_now`, so both always speak the
same time.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _

# The latest expiry stored, a day short of datetime.max so that no time zone
# conversion overflows.
LAST_EXPIRY = datetime(9999, 12, 30, tzinfo=timezone.utc)


def _as_stored(moment: datetime) -> datetime:
    return moment if settings.USE_TZ else moment.replace(tzinfo=None)


def stored_now() -> datetime:
    """Return the current time as the blacklist stores times."""
    return _as_stored(datetime.fromtimestamp(time.time(), tz=timezone.utc))


def expiry_from_epoch(seconds: object) -> datetime:
    """Return an ``exp`` claim (epoch seconds) as the blacklist stores it.

    Anything not a finite number, or past what a datetime holds, is stored as
    LAST_EXPIRY: the row is kept for good rather than purged too soon.
    """
    try:
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(seconds)
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError, TypeError):
        moment = LAST_EXPIRY
    return _as_stored(moment)


def epoch_from_stored(moment: datetime | None) -> int | None:
    """Return a stored time as epoch seconds (the inverse of :func:`expiry_from_epoch`)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def stored_expiry(exp: object) -> datetime | None:
    """Return a token's ``exp`` claim as the tables store it: None (no expiry) stays None."""
    return None if exp is None else expiry_from_epoch(exp)


def column_name(model: type[models.Model], name: str) -> str:
    """Return the column of ``model``'s field ``name``, for the SQL written by hand."""
    field = model._meta.get_field(name)
    if isinstance(field, models.Field) and field.column is not None:
        return field.column
    raise FieldDoesNotExist(f'{model.__name__}.{name} has no column')


JTI_MAX_LENGTH = 255


class JWTBlacklist(models.Model):
    """A revoked token, found by its jti."""

    jti = models.CharField(max_length=JTI_MAX_LENGTH, unique=True)
    # Not indexed: PostgreSQL refuses index rows over ~2.7 KB, and tokens grow
    # with the user's permissions.
    # Null in rows the admin adds (a jti alone); nullable as djwto's column is.
    token = models.TextField(null=True, blank=True)  # noqa: DJ001
    # Both times on the blacklist's clock (see this module's docstring): UTC, naive when
    # USE_TZ is off, so that a row's two times compare.
    expires = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=stored_now, editable=False)

    class Meta:
        verbose_name = _('blacklisted token')
        verbose_name_plural = _('blacklisted tokens')

    def __str__(self) -> str:
        return self.jti

    @staticmethod
    def stored_jti(jti: Any) -> str:
        """Return the value the ``jti`` column holds for a token's ``jti`` claim.

        A jti up to 255 characters is stored as it is. A longer one (a claims
        handler's own scheme may make them) is stored as ``sha256:`` and its
        digest, so that such a token can still be revoked and found.
        """
        text = str(jti)
        if len(text) <= JTI_MAX_LENGTH:
            return text
        return 'sha256:' + hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()

    @classmethod
    def is_blacklisted(cls, jti: Any) -> bool:
        """Tell whether ``jti`` has been revoked: one query on the unique index of ``jti``.

        Written as SQL because this runs on every refresh, and building the
        same ORM query each time costs more than the database answering it.
        The statement is plain SQL that every database Django supports reads
        the same way; ``jti`` is unique, so it finds one row or none and needs
        no row limit (whose syntax differs between databases).
        """
        connection = connections[router.db_for_read(cls)]
        quote = connection.ops.quote_name
        # Identifiers from the model's meta, quoted; the value is a parameter.
        sql = f'SELECT 1 FROM {quote(cls._meta.db_table)} WHERE {quote(column_name(cls, "jti"))} = %s'  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [cls.stored_jti(jti)])
            return cursor.fetchone() is not None


class UserRevocation(models.Model):
    """A user's cutoff (ours): every token of theirs issued before ``not_before`` is refused.

    Written by revokeAll, by the admin, and when the user's password changes
    or the user is deactivated (DJWTO_REVOKE_ALL). One row per user, moved
    forward each time.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name='+'
    )
    # On the blacklist's clock (see this module's docstring).
    not_before = models.DateTimeField()

    class Meta:
        verbose_name = _('revocation of all sessions')
        verbose_name_plural = _('revocations of all sessions')

    def __str__(self) -> str:
        return f'{self.user_id}: sessions before {self.not_before:%Y-%m-%d %H:%M:%S} UTC'


class RefreshFamily(models.Model):
    """The live generation of a session whose refresh tokens rotate: one row per session.

    A session is its refresh token's ``jti``; each rotation hands out the
    next generation (the token's ``gen`` claim) and only the stored one may
    rotate. The row is written on the session's first rotation and kept
    until ``expires`` (the live token's ``exp``), when ``delete_tokens``
    purges it.
    """

    jti = models.CharField(max_length=JTI_MAX_LENGTH, unique=True)
    generation = models.PositiveBigIntegerField()
    # On the blacklist's clock (see this module's docstring), as are its expiries.
    rotated_at = models.DateTimeField()
    expires = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _('refresh token family')
        verbose_name_plural = _('refresh token families')

    def __str__(self) -> str:
        return f'{self.jti} (generation {self.generation})'
