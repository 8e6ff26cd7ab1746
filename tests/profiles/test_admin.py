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

    for app in ("profiles", "vocab"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


def test_admin_lists_and_change_pages_render(staff_client, seed_org):
    for model in admin.site._registry:
        if model._meta.app_label not in ("profiles", "vocab"):
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
