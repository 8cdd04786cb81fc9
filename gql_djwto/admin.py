from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db import router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import JWTBlacklist, RefreshFamily, UserRevocation
from .revocation import record_revoked_jti
from .sessions import revoke_user_sessions
from .settings import djwto_settings

CUTOFFS_UNCHECKED = _(
    'DJWTO_REVOKE_ALL is False: cutoffs are stored but not checked, so these '
    'sessions go on until DJWTO_REVOKE_ALL is turned on.'
)

# Django's admin classes are generic for type checkers only (django-stubs); at run time
# they take no subscript.
if TYPE_CHECKING:
    _BlacklistAdmin = admin.ModelAdmin[JWTBlacklist]
    _EndSessionsForm = forms.ModelForm[UserRevocation]
    _UserRevocationAdmin = admin.ModelAdmin[UserRevocation]
    _RefreshFamilyAdmin = admin.ModelAdmin[RefreshFamily]
else:
    _BlacklistAdmin = _UserRevocationAdmin = _RefreshFamilyAdmin = admin.ModelAdmin
    _EndSessionsForm = forms.ModelForm


@admin.register(JWTBlacklist)
class JWTBlacklistAdmin(_BlacklistAdmin):
    """The blacklist; adding a jti revokes that one session (its access tokens too, with the cache)."""

    list_display = ('jti', 'expires', 'created_at')
    search_fields = ('jti',)
    list_filter = ('expires',)
    # The stored token stays out of sight: access tokens share its jti.
    fields = ('jti', 'expires', 'created_at')
    ordering = ('-created_at',)

    def get_readonly_fields(self, request: HttpRequest, obj: JWTBlacklist | None = None) -> tuple[str, ...]:
        return ('created_at',) if obj is None else self.fields

    def has_change_permission(self, request: HttpRequest, obj: JWTBlacklist | None = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: JWTBlacklist, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The admin's view runs in a transaction: the cache learns once it commits.
        transaction.on_commit(lambda: record_revoked_jti(obj.jti), using=router.db_for_write(JWTBlacklist))


class EndSessionsForm(_EndSessionsForm):
    """Choose a user; saving moves their cutoff to now, whether they had one or not."""

    class Meta:
        model = UserRevocation
        fields = ('user',)

    def validate_unique(self) -> None:
        """A user with a cutoff already gets a later one: not a duplicate."""


@admin.register(UserRevocation)
class UserRevocationAdmin(_UserRevocationAdmin):
    """Per-user cutoffs (DJWTO_REVOKE_ALL): adding one ends every session of that user."""

    form = EndSessionsForm
    list_display = ('user', 'not_before')
    raw_id_fields = ('user',)
    actions = ('end_sessions_again',)

    def get_readonly_fields(self, request: HttpRequest, obj: UserRevocation | None = None) -> tuple[str, ...]:
        return () if obj is None else ('user', 'not_before')

    def save_model(self, request: HttpRequest, obj: UserRevocation, form: Any, change: bool) -> None:
        self._end_sessions(request, [obj.user])
        obj.refresh_from_db()

    @admin.action(description=_('End every session of these users issued before now'))
    def end_sessions_again(self, request: HttpRequest, queryset: QuerySet[UserRevocation]) -> None:
        self._end_sessions(request, [revocation.user for revocation in queryset.select_related('user')])

    def _end_sessions(self, request: HttpRequest, users: Iterable[Any]) -> None:
        for user in users:
            revoke_user_sessions(user, request=request, cause='admin')
        if not djwto_settings.REVOKE_ALL:
            self.message_user(request, CUTOFFS_UNCHECKED, messages.WARNING)


@admin.register(RefreshFamily)
class RefreshFamilyAdmin(_RefreshFamilyAdmin):
    list_display = ('jti', 'generation', 'rotated_at', 'expires')
    search_fields = ('jti',)
    fields = readonly_fields = ('jti', 'generation', 'rotated_at', 'expires')
    ordering = ('-rotated_at',)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
