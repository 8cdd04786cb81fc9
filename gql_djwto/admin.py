from django.contrib import admin

from .models import JWTBlacklist, RefreshFamily


@admin.register(JWTBlacklist)
class JWTBlacklistAdmin(admin.ModelAdmin):
    list_display = ('jti', 'expires', 'created_at')
    search_fields = ('jti',)
    list_filter = ('expires',)
    # The stored token stays out of sight: access tokens share its jti.
    fields = readonly_fields = ('jti', 'expires', 'created_at')
    ordering = ('-created_at',)

    def has_add_permission(self, request):
        return False


@admin.register(RefreshFamily)
class RefreshFamilyAdmin(admin.ModelAdmin):
    list_display = ('jti', 'generation', 'rotated_at', 'expires')
    search_fields = ('jti',)
    fields = readonly_fields = ('jti', 'generation', 'rotated_at', 'expires')
    ordering = ('-rotated_at',)

    def has_add_permission(self, request):
        return False
