"""The Django admin for moderators: profiles edited through the one write path.

A profile's change page holds its scalar fields (fieldsets by ECCP section, from the
declarations) and one inline per list table. Saving turns the form and the inlines
into the profile's document and writes it with `save_profiles`, as any edit: version
checked, collaborations resolved, search document, revision, directory version. The
list tables' own pages are for looking things up; they change nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from clusterhub.accounts import moderation
from clusterhub.core.errors import DomainError
from clusterhub.core.validation import format_validation_error

from . import models as m
from .document import CLASSIFICATION, ROW_LISTS, SCALARS, column, to_document
from .fields import SECTIONS, set_path
from .schema import ProfileDoc
from .writing import delete_profiles, save_profiles

REFUSED = "_clusterhub_refused"


class RowInline(admin.TabularInline):
    extra = 0
    ordering = ["order"]


def inline(model_class, **options):
    return type(f"{model_class.__name__}Inline", (RowInline,), {"model": model_class, **options})


class OrganisationForm(forms.ModelForm):
    """Carries the version the page was opened at: saving over a newer one is refused,
    with the input kept, as in the editor and the API (the write path checks it again
    under lock)."""

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
                    _(
                        "Version %(version)s was saved after this page was opened: nothing "
                        "was saved. Open the profile again (in a new tab) and redo the change "
                        "there."
                    )
                    % {"version": current}
                )
        return cleaned


def _fieldsets() -> list:
    scalar_sections: dict[str | None, list[str]] = {}
    for f in SCALARS:
        if f.path in ("name", "slug", "synthetic"):
            continue
        scalar_sections.setdefault(f.section, []).append(column(f.path))
    sets = [(None, {"fields": ["name", "slug", "synthetic", "base_version"]})]
    for slug, title in SECTIONS:
        if scalar_sections.get(slug):
            sets.append((title, {"fields": scalar_sections[slug]}))
    record = ["status", "review_note", "version", "created_at", "updated_at"]
    sets.append((gettext_lazy("Record"), {"fields": record}))
    return sets


def _inlines() -> list:
    inlines = []
    for model in dict.fromkeys(spec.model for spec in ROW_LISTS):
        options = {}
        if model is CLASSIFICATION:
            options = {
                "autocomplete_fields": ["term"],
                "verbose_name": gettext_lazy("classification"),
            }
        if model is m.CollaboratingCluster:
            options = {"fk_name": "organisation", "raw_id_fields": ["profile", "candidate"]}
        inlines.append(inline(model, **options))
    return inlines


def _value(value):
    """A form value as the document holds it: a term by its label, a profile by its slug."""
    if isinstance(value, m.Term):
        return value.label
    if isinstance(value, m.ClusterOrganisation):
        return value.slug
    return value


def _blank(value):
    return None if value == "" else value


def document_from_admin(org: m.ClusterOrganisation, form, formsets) -> dict:
    """The document the change page describes, as JSON data for validation."""
    data = to_document(org).model_dump() if org.pk else {}
    for f in SCALARS:
        name = column(f.path)
        if name in form.cleaned_data:
            value = _value(form.cleaned_data[name])
            if f.path == "country_inferred_from":
                value = [v for v in (value or "").split(",") if v]
            elif value == "" and f.kind != "long":
                value = None
            set_path(data, f.path, value)
    for formset in formsets:
        lists = [spec for spec in ROW_LISTS if spec.model is formset.model]
        kept = sorted(
            (
                (form.cleaned_data.get("order") or 0, i, form.cleaned_data)
                for i, form in enumerate(formset.forms)
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
            key=lambda item: item[:2],
        )
        for spec in lists:
            items = []
            for _order, _i, row in kept:
                if spec.model is CLASSIFICATION:
                    if row["term"].vocabulary == spec.declared.vocabulary:
                        items.append(row["term"].label)
                elif any(row.get(k) != v for k, v in spec.storage.extra.items()):
                    continue
                elif spec.storage.value:
                    items.append(_value(row[spec.storage.value]))
                else:
                    items.append({c.key: _blank(_value(row.get(c.key))) for c in spec.items})
            set_path(data, spec.path, items)
    return data


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
    fieldsets = _fieldsets()
    inlines = _inlines()

    def get_readonly_fields(self, request, obj=None):
        # The slug is the profile's identity in every document: it never changes.
        return [*self.readonly_fields, "slug"] if obj is not None else self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def _change_status(self, request, queryset, action: str) -> None:
        done = 0
        for org in queryset:
            try:
                moderation.change_status(request.user, org.slug, action)
                done += 1
            except DomainError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(
                request, _("%(n)s profile(s): %(action)s done.") % {"n": done, "action": action},
                messages.SUCCESS,
            )  # fmt: skip

    @admin.action(description=gettext_lazy("Publish the selected profiles"))
    def publish(self, request, queryset):
        self._change_status(request, queryset, "publish")

    @admin.action(description=gettext_lazy("Archive the selected profiles"))
    def archive(self, request, queryset):
        self._change_status(request, queryset, "archive")

    def save_model(self, request, obj, form, change):
        """Nothing yet: the profile is written with its lists, in save_related."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        try:
            doc = ProfileDoc.model_validate(document_from_admin(obj, form, formsets))
            versions = {obj.slug: form.cleaned_data.get("base_version")} if change else None
            (saved,) = save_profiles(
                [doc], action="edit" if change else "create", author=request.user,
                versions=versions, create_only=not change, note=_("saved in the admin"),
            )  # fmt: skip
        except (ValidationError, DomainError) as exc:
            text = format_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(
                request, _("Nothing was saved: %(error)s") % {"error": text}, messages.ERROR
            )
            transaction.set_rollback(True)
            setattr(request, REFUSED, True)
            return
        obj.pk = saved.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        delete_profiles([obj], author=request.user)

    def delete_queryset(self, request, queryset):
        delete_profiles(list(queryset), author=request.user)


class RowAdmin(admin.ModelAdmin):
    """A list table, to look things up across profiles: rows change with their profile."""

    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.TeamMember)
class TeamMemberAdmin(RowAdmin):
    list_display = ["first_name", "last_name", "position", "contact_visibility", "organisation"]
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


@admin.register(m.Region, m.Language, m.OtherLabel, m.Objective)
class SimpleRowAdmin(RowAdmin):
    list_display = ["__str__", "organisation"]
    search_fields = ["organisation__name"]


@admin.register(m.PendingVersion)
class PendingVersionAdmin(RowAdmin):
    list_display = ["organisation", "author", "updated_at"]
    search_fields = ["organisation__name"]
