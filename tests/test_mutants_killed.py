"""Five deliberate changes used to survive the whole suite; each of these fails on one.

- JSON-LD without `areaServed`;
- the members band's `>=` made `>` (a profile of exactly 25 members in "1-24");
- the automatic link threshold lowered from 0.92 to 0.80;
- the same-sector weight of the partner finder 3 → 1;
- invitations valid 1,400 days instead of 14.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.accounts import ownership
from clusterhub.accounts.models import Invitation
from clusterhub.core import errors
from clusterhub.directory.query import DirectoryQuery
from clusterhub.directory.services import search
from clusterhub.ingest.formats import jsonld
from clusterhub.matching.query import PartnerQuery
from clusterhub.matching.services import recommend
from clusterhub.network.resolution import AUTO_LINK, Candidate, decide
from clusterhub.profiles.schema import ProfileDoc, members_band
from tests.accounts.conftest import make_user
from tests.documents import save_documents


def test_jsonld_says_the_countries_a_cluster_serves(seed_doc):
    node = jsonld(seed_doc.model_dump(mode="json"))
    served = [(c["identifier"], c["name"]) for c in node["areaServed"]]
    assert served == [
        ("BR", "Brazil"), ("CL", "Chile"), ("CO", "Colombia"), ("MX", "Mexico"),
        ("BE", "Belgium"), ("FR", "France"), ("IT", "Italy"), ("PL", "Poland"), ("PT", "Portugal"),
    ]  # fmt: skip
    assert {c["@type"] for c in node["areaServed"]} == {"Country"}


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "1-24"), (24, "1-24"), (25, "25-49"), (49, "25-49"), (50, "50-99"), (999, "500-999"),
     (1000, "1000+"), (None, None)],
)  # fmt: skip
def test_member_bands_include_their_bounds(total, band):
    assert members_band(total) == band


def test_the_members_facet_counts_a_profile_of_25_members_in_25_49(db):
    save_documents([ProfileDoc.model_validate({"name": "Exactly", "members": {"total": 25}})])
    facet = search(DirectoryQuery()).facets["members_band"]
    assert [(v.value, v.count) for v in facet.values] == [("25-49", 1)]


def ranking(confidence: float):
    candidate = Candidate.of(7, "the-cluster", "the cluster", "AT", [])
    return [(candidate, confidence, True)]


@pytest.mark.parametrize(
    ("confidence", "status"),
    [
        (AUTO_LINK, "linked"),
        (0.919, "pending"),
        (0.85, "pending"),
        (0.80, "pending"),
        (0.59, "unmatched"),
    ],
)
def test_only_a_confident_match_links_by_itself(confidence, status):
    assert decide(ranking(confidence)).status == status


def test_one_shared_sector_counts_a_quarter_of_the_balanced_score(db):
    sector = ["Video Production and Distribution"]
    save_documents([
        ProfileDoc.model_validate({"name": "Alone", "country": "ES", "sectoral_industries": sector}),
        ProfileDoc.model_validate({"name": "Twin", "country": "ES", "sectoral_industries": sector}),
    ])  # fmt: skip
    (partner,) = recommend("alone", PartnerQuery()).partners
    (reason,) = [r for r in partner.reasons if r.kind == "same_sector"]
    # Weight 3 of the 12.25 the balanced reasons weigh: 24.5 points when fully shared.
    assert reason.points == 24.5 and partner.score == 24.5


@pytest.fixture
def invitation(people):
    found, key = ownership.invite(people.users["owner"], people.slug, "erik@wind.example")
    erik = make_user("erik")
    erik.email = "erik@wind.example"
    erik.save()
    return found, key, erik


def test_an_invitation_is_valid_for_14_days(invitation):
    found, key, erik = invitation
    Invitation.objects.filter(pk=found.pk).update(
        created_at=timezone.now() - timedelta(days=13, hours=23)
    )
    assert ownership.accept_invitation(erik, key).slug == found.organisation.slug


def test_an_invitation_of_15_days_ago_has_expired(invitation):
    found, key, erik = invitation
    Invitation.objects.filter(pk=found.pk).update(created_at=timezone.now() - timedelta(days=15))
    with pytest.raises(errors.Invalid, match="expired after 14 days"):
        ownership.accept_invitation(erik, key)
