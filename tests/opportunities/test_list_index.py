"""The lists' kept index (directory.listing.EntryCache): every write shows at once,
by building again only what changed."""

from datetime import timedelta

import pytest
from django.db.models import F

from clusterhub.opportunities import listing, services
from clusterhub.opportunities.listing import OpportunityQuery, search
from clusterhub.opportunities.models import Opportunity
from clusterhub.profiles.models import ClusterOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """How many rows each build of entries read."""
    sizes = []
    build = listing._cache.build

    def counting(rows):
        entries = build(rows)
        sizes.append(len(entries))
        return entries

    monkeypatch.setattr(listing._cache, "build", counting)
    monkeypatch.setattr(listing._cache, "_kept", None)
    return sizes


def publish(people, data):
    made = services.create(people.users["owner"], people.slug, data)
    services.change_status(people.users["owner"], made.pk, "submit")
    return services.change_status(people.users["moderator"], made.pk, "publish")


def age() -> None:
    """Time passes: every row's last change moves five minutes back, past the margin
    within which a catch-up reads rows again."""
    Opportunity.objects.update(updated_at=F("updated_at") - timedelta(minutes=5))


def titles(q="") -> list[str]:
    return [o.title for o in search(OpportunityQuery(q=q)).items]


def test_each_write_shows_and_only_what_changed_is_built_again(published, draft_input, built):
    first = publish(published, draft_input)
    assert titles() == [draft_input.title] and built == [1]
    age()
    second = publish(published, draft_input.model_copy(update={"title": "Wave energy partners"}))
    assert titles() == ["Wave energy partners", draft_input.title]
    assert built[-1] == 1  # the new one only
    age()
    services.change_status(published.users["owner"], first.pk, "archive")
    assert titles() == ["Wave energy partners"] and built[-1] == 0  # it left; nothing built
    age()
    moved = draft_input.model_copy(update={"title": "Tidal energy partners"})
    services.update(published.users["moderator"], second.pk, moved, None)
    assert titles("tidal") == ["Tidal energy partners"] and titles("wave") == []
    assert built[-1] == 1


def test_a_write_that_commits_late_still_shows(published, draft_input, built):
    opportunity = publish(published, draft_input)
    assert titles() == [draft_input.title]
    # Saved before the list's last change but committed after it was read: its stamp is
    # older than the state the list holds; its version still moves the state.
    Opportunity.objects.filter(pk=opportunity.pk).update(
        title="Committed late", version=F("version") + 1,
        updated_at=opportunity.updated_at - timedelta(seconds=30),
    )  # fmt: skip
    assert titles() == ["Committed late"]


def test_a_renamed_cluster_is_found_by_its_new_name(published, draft_input, built):
    publish(published, draft_input)
    assert titles("nordic") == [draft_input.title]
    ClusterOrganisation.objects.filter(slug=published.slug).update(name="Baltic Wind Cluster")
    org = ClusterOrganisation.objects.get(slug=published.slug)
    org.save(update_fields=["updated_at"])
    assert titles("baltic") == [draft_input.title] and titles("nordic") == []


def test_a_deleted_row_leaves_the_list(published, draft_input, built):
    opportunity = publish(published, draft_input)
    assert titles() == [draft_input.title]
    Opportunity.objects.filter(pk=opportunity.pk).delete()
    assert titles() == []
