from django.contrib import admin

from .models import ApiToken, Invitation, LanguagePreference, Ownership, OwnershipClaim, Revision


@admin.register(Ownership)
class OwnershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "user", "created_at")
    search_fields = ("organisation__name", "organisation__slug", "user__email")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "version", "action", "author", "created_at")
    list_filter = ("action",)
    search_fields = ("organisation__name", "organisation__slug", "author__email")
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request):
        return False  # history is written by saves, never by hand

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("hint", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__email", "name", "hint")
    readonly_fields = ("digest", "hint", "created_at", "last_used_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "invited_by", "created_at", "accepted_at")
    search_fields = ("email", "organisation__name")
    readonly_fields = ("digest",)
    raw_id_fields = ("organisation", "invited_by")


@admin.register(OwnershipClaim)
class OwnershipClaimAdmin(admin.ModelAdmin):
    """Claims are decided on the moderation page, which keeps ownership consistent."""

    list_display = ("organisation", "user", "state", "created_at", "decided_by")
    list_filter = ("state",)
    search_fields = ("organisation__name", "user__email", "message")
    readonly_fields = [f.name for f in OwnershipClaim._meta.fields]


@admin.register(LanguagePreference)
class LanguagePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "updated_at")
    list_filter = ("language",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
