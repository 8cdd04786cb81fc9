"""The blacklist of revoked refresh tokens."""

import hashlib
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _

from .expiry import stored_now

JTI_MAX_LENGTH = 255


class JWTBlacklist(models.Model):
    """A revoked token, found by its jti."""

    jti = models.CharField(max_length=JTI_MAX_LENGTH, unique=True)
    # Not indexed: PostgreSQL refuses index rows over ~2.7 KB, and tokens grow
    # with the user's permissions.
    token = models.TextField(null=True, blank=True)
    # Both times on the blacklist's clock (gql_djwto.expiry): UTC, naive when
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
        jti = str(jti)
        if len(jti) <= JTI_MAX_LENGTH:
            return jti
        return 'sha256:' + hashlib.sha256(jti.encode('utf-8', 'surrogatepass')).hexdigest()

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
        sql = (
            f'SELECT 1 FROM {quote(cls._meta.db_table)} WHERE {quote(cls._meta.get_field("jti").column)} = %s'
        )
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
    # On the blacklist's clock (gql_djwto.expiry).
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
    # On the blacklist's clock (gql_djwto.expiry), as are its expiries.
    rotated_at = models.DateTimeField()
    expires = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _('refresh token family')
        verbose_name_plural = _('refresh token families')

    def __str__(self) -> str:
        return f'{self.jti} (generation {self.generation})'
