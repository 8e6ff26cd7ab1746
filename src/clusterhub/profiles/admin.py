from django import forms
from django.contrib import admin, messages

from clusterhub.accounts import services as workflow

from . import models as m
from .document import to_document
from .services import resave


class RowInline(admin.TabularInline):
    extra = 0
    ordering = ["order"]


def inline(model_class, **options):
    return type(f"{model_class.__name__}Inline", (RowInline,), {"model": model_class, **options})


TERM_INLINE = inline(m.ProfileTerm, autocomplete_fields=["term"], verbose_name="classification")


class OrganisationForm(forms.ModelForm):
    """Carries the version the page was opened at: saving over a newer one is refused,
    with the input kept, as in the editor and the API."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = m.ClusterOrganisation.objects.get(pk=self.instance.pk).version
            if cleaned.get("base_version") != current:
                raise forms.ValidationError(
                    f"Version {current} was saved after this page was opened: nothing was "
                    "saved. Open the profile again (in a new tab) and redo the change there."
                )
        return cleaned


@admin.register(m.ClusterOrganisation)
class ClusterOrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = [
        "name",
        "status",
        "country",
        "cluster_excellence_label",
        "members_total",
        "synthetic",
        "updated_at",
    ]
    list_filter = [
        "status",
        "synthetic",
        "cluster_excellence_label",
        "country",
        "management_team_size",
        "formalised_strategy",
    ]
    search_fields = ["name", "slug", "mission", "regions__name"]
    prepopulated_fields = {"slug": ["name"]}
    # Status changes go through the actions, which check the workflow and keep history.
    readonly_fields = ["status", "review_note", "version", "created_at", "updated_at"]
    actions = ["publish", "archive"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "synthetic", "base_version"]}),
        ("General Information", {"fields": ["established", "management_team_size", "country", "country_inferred_from", "website", "cluster_excellence_label"]}),
        ("Composition of the cluster", {"fields": ["members_total", "members_sme", "members_large_companies", "members_research_organisations", "members_other_actors"]}),
        ("Cluster Strategy", {"fields": ["mission", "formalised_strategy", "internationalisation_strategy"]}),
        ("Support Programmes", {"fields": ["project_references"]}),
        ("Promotion", {"fields": ["success_story", "why_partner"]}),
        ("Record", {"fields": ["status", "review_note", "version", "created_at", "updated_at"]}),
    ]  # fmt: skip

    def _change_status(self, request, queryset, action: str) -> None:
        done = 0
        for org in queryset:
            try:
                workflow.change_status(request.user, org.slug, action)
                done += 1
            except workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(request, f"{done} profile(s): {action} done.", messages.SUCCESS)

    @admin.action(description="Publish the selected profiles")
    def publish(self, request, queryset):
        self._change_status(request, queryset, "publish")

    @admin.action(description="Archive the selected profiles")
    def archive(self, request, queryset):
        self._change_status(request, queryset, "archive")

    def save_model(self, request, obj, form, change):
        # The document as it was, for the revision's diff.
        self._before = to_document(obj).model_dump(mode="json") if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        resave([form.instance.pk])
        workflow.record_admin_edit(request.user, form.instance.pk, self._before)

    inlines = [
        inline(m.Region),
        inline(m.OtherLabel),
        inline(m.Network),
        inline(m.TeamMember),
        inline(m.Language),
        TERM_INLINE,
        inline(m.EntrepreneurshipFacility),
        inline(m.MajorPlayer),
        inline(m.Objective),
        inline(m.Service),
        inline(m.TargetCountry),
        inline(m.CooperationActivity),
        inline(
            m.CollaboratingCluster,
            fk_name="organisation",
            raw_id_fields=["profile", "candidate"],
        ),
        inline(m.Programme),
    ]


class RowAdmin(admin.ModelAdmin):
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        resave([obj.organisation_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        resave([obj.organisation_id])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("organisation_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        resave(ids)


@admin.register(m.TeamMember)
class TeamMemberAdmin(RowAdmin):
    list_display = ["first_name", "last_name", "position", "email", "organisation"]
    search_fields = ["first_name", "last_name", "email", "position", "organisation__name"]


@admin.register(m.Network)
class NetworkAdmin(RowAdmin):
    list_display = ["name", "website", "organisation"]
    search_fields = ["name", "website", "organisation__name"]


@admin.register(m.EntrepreneurshipFacility, m.MajorPlayer)
class EcosystemActorAdmin(RowAdmin):
    list_display = ["name", "type", "website", "organisation"]
    list_filter = ["type"]
    search_fields = ["name", "website", "organisation__name"]


@admin.register(m.Service)
class ServiceAdmin(RowAdmin):
    list_display = ["service", "organisation"]
    list_filter = ["service"]
    search_fields = ["details", "organisation__name"]


@admin.register(m.TargetCountry)
class TargetCountryAdmin(RowAdmin):
    list_display = ["country", "scope", "organisation"]
    list_filter = ["scope", "country"]
    search_fields = ["organisation__name"]


@admin.register(m.CooperationActivity)
class CooperationActivityAdmin(RowAdmin):
    list_display = ["activity", "scope", "organisation"]
    list_filter = ["scope", "activity"]
    search_fields = ["organisation__name"]


@admin.register(m.CollaboratingCluster)
class CollaboratingClusterAdmin(RowAdmin):
    list_display = ["name", "location", "organisation", "match_status", "match_confidence"]
    list_filter = ["match_status"]
    search_fields = ["name", "location", "organisation__name"]
    raw_id_fields = ["profile", "candidate"]


@admin.register(m.Programme)
class ProgrammeAdmin(RowAdmin):
    list_display = ["programme", "level", "project", "funder", "organisation"]
    list_filter = ["level"]
    search_fields = ["programme", "project", "funder", "description", "organisation__name"]


@admin.register(m.ProfileTerm)
class ProfileTermAdmin(RowAdmin):
    list_display = ["term", "organisation"]
    list_filter = ["term__vocabulary", "term__reviewed"]
    search_fields = ["term__label", "organisation__name"]
    autocomplete_fields = ["organisation", "term"]


@admin.register(m.Region, m.Language, m.OtherLabel, m.Objective)
class SimpleRowAdmin(RowAdmin):
    list_display = ["__str__", "organisation"]
    search_fields = ["organisation__name"]
