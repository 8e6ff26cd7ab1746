"""Every model has a working admin list (with filters and search) and change page."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw-long-enough")
    client.force_login(user)
    return client


def test_every_model_is_registered():
    from django.apps import apps

    for app in ("profiles", "vocab", "accounts"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


def test_admin_lists_and_change_pages_render(staff_client, seed_org):
    for model in admin.site._registry:
        if model._meta.app_label not in ("profiles", "vocab", "accounts"):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        assert staff_client.get(url, {"q": "a"}).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert staff_client.get(change).status_code == 200, change


def test_organisation_admin_filters(staff_client, seed_org):
    url = reverse("admin:profiles_clusterorganisation_changelist")
    body = staff_client.get(url, {"synthetic__exact": "0"}).content.decode()
    assert "CLUSTER DO AUDIOVISUAL GALEGO" in body


def test_admin_save_over_a_newer_version_is_refused(rf, seed_org, seed_doc, django_user_model):
    from django.forms.models import model_to_dict

    from clusterhub.profiles.models import ClusterOrganisation
    from tests.documents import save_document

    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("a", "a@example.org", "pw")
    model_admin = admin.site._registry[ClusterOrganisation]
    form_class = model_admin.get_form(request, seed_org)
    data = {k: "" if v is None else v for k, v in model_to_dict(seed_org).items()}
    data.pop("terms", None)
    fresh = form_class({**data, "base_version": seed_org.version}, instance=seed_org)
    assert fresh.is_valid(), fresh.errors
    save_document(seed_doc.model_copy(update={"mission": "Changed meanwhile."}))
    seed_org.refresh_from_db()
    stale = form_class({**data, "base_version": seed_org.version - 1}, instance=seed_org)
    assert not stale.is_valid()
    assert "was saved after this page was opened" in str(stale.non_field_errors())
    assert ClusterOrganisation.objects.get(pk=seed_org.pk).mission == "Changed meanwhile."
