"""The blacklist of revoked refresh tokens."""

from django.db import models


class JWTBlacklist(models.Model):
    """A revoked token, found by its jti."""

    jti = models.CharField(max_length=255, unique=True)
    # Not indexed: PostgreSQL refuses index rows over ~2.7 KB, and tokens grow
    # with the user's permissions.
    token = models.TextField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = 'blacklisted token'
        verbose_name_plural = 'blacklisted tokens'

    def __str__(self) -> str:
        return self.jti

    @classmethod
    def is_blacklisted(cls, jti: str) -> bool:
        """Tell whether ``jti`` has been revoked."""
        return cls.objects.filter(jti=jti).exists()
