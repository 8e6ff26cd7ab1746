from django.contrib import admin

from .models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["label", "vocabulary", "reviewed", "order"]
    list_filter = ["vocabulary", "reviewed"]
    search_fields = ["label", "slug"]
    list_editable = ["reviewed"]
    prepopulated_fields = {"slug": ["label"]}
    actions = ["mark_reviewed"]

    @admin.action(description="Mark selected terms as reviewed")
    def mark_reviewed(self, request, queryset):
        updated = queryset.update(reviewed=True)
        self.message_user(request, f"{updated} term(s) marked as reviewed.")
