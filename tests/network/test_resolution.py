"""Collaborating clusters resolved to directory profiles: linked, pending, unmatched."""

import json

import numpy as np
import pytest
from django.core.management import call_command

from clusterhub.accounts.models import Revision
from clusterhub.directory.index import get_index
from clusterhub.ingest.eccp import parse_file
from clusterhub.ingest.services import import_file
from clusterhub.network.resolution import AUTO_LINK, SUGGEST, directory_of, resolve_all, within
from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster, Status
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import delete_profiles
from tests.documents import change_status, save_document, save_documents


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


def entries(slug: str) -> dict[str, dict]:
    doc = to_document(ClusterOrganisation.objects.get(slug=slug))
    return {c.name: c.model_dump() for c in doc.collaborating_clusters}


@pytest.fixture
def cap_digital(db, page):
    return save_document(parse_file(page("cap-digital.html")))


def test_the_seed_links_cap_digital_when_its_profile_exists(cap_digital, seed_org):
    cap = entries(seed_org.slug)["Cap Digital"]
    assert cap["profile"] == "cap-digital"
    assert cap["match_status"] == "linked" and cap["match_confidence"] >= AUTO_LINK
    # Names that are not in the directory stay as text.
    twist = entries(seed_org.slug)["Cluster Twist"]
    assert twist["profile"] is None and twist["match_status"] == "unmatched"


def test_a_profile_added_later_links_the_entries_naming_it(seed_org, page):
    assert entries(seed_org.slug)["Cap Digital"]["profile"] is None
    save_document(parse_file(page("cap-digital.html")))
    assert entries(seed_org.slug)["Cap Digital"]["profile"] == "cap-digital"


def test_the_import_command_resolves_across_files_once_all_are_in(db, page, capsys):
    call_command(
        "import",
        str(page("cap-digital.html")),
        str(page("").parent.parent / "ingest" / "pages" / "gold-minimal.txt"),
    )
    from clusterhub.ingest.demo import SEED_PAGE

    call_command("import", str(SEED_PAGE))
    out = capsys.readouterr().out
    assert "Collaborations:" in out and "linked" in out
    assert entries("cluster-do-audiovisual-galego")["Cap Digital"]["profile"] == "cap-digital"


@pytest.mark.parametrize(
    ("written", "location", "status"),
    [
        ("Danube Robotics Cluster", "Linz, Austria", "linked"),
        ("DANUBE ROBOTICS CLUSTER", "Austria", "linked"),
        ("Danube Robotcs Cluster", "Upper Austria, Austria", "linked"),  # a typo
        ("Danube Robotics Cluster", "Chile", "pending"),  # a namesake abroad?
        ("Cluster", "Austria", "unmatched"),  # nothing distinctive
        ("Baltic Shipbuilders", "Poland", "unmatched"),
    ],
)
def test_names_as_people_write_them(db, written, location, status):
    save_documents(
        [
            profile("Danube Robotics Cluster", country="AT", regions=["Upper Austria"]),
            profile("Alpine Wood Cluster", country="AT", regions=["Tyrol"]),
        ]
    )
    save_document(
        profile(
            "Writer", country="DE", collaborating_clusters=[{"name": written, "location": location}]
        )
    )
    (entry,) = entries("writer").values()
    assert entry["match_status"] == status
    if status == "linked":
        assert entry["profile"] == "danube-robotics-cluster"
    if status == "pending":
        assert entry["candidate"] == "danube-robotics-cluster"
        assert SUGGEST <= entry["match_confidence"] < AUTO_LINK


def test_two_profiles_alike_wait_for_a_person(db):
    save_documents(
        [
            profile("Galicia Automotive Cluster", slug="gac-1", country="ES", regions=["Galicia"]),
            profile("Galicia Automotive Cluster", slug="gac-2", country="ES", regions=["Galicia"]),
        ]
    )
    save_document(
        profile(
            "Writer",
            collaborating_clusters=[{"name": "Galicia Automotive Cluster", "location": "Spain"}],
        )
    )
    (entry,) = entries("writer").values()
    assert entry["match_status"] == "pending" and entry["candidate"] in ("gac-1", "gac-2")


def test_a_profile_never_resolves_to_itself(db):
    save_document(
        profile("Danube Robotics Cluster", country="AT",
                collaborating_clusters=[{"name": "Danube Robotics Cluster", "location": "Austria"}])
    )  # fmt: skip
    (entry,) = entries("danube-robotics-cluster").values()
    assert entry["profile"] is None


def test_unpublished_profiles_are_not_linked_until_published(db):
    draft = save_document(profile("Danube Robotics Cluster", country="AT"), status=Status.DRAFT)
    save_document(
        profile(
            "Writer",
            collaborating_clusters=[{"name": "Danube Robotics Cluster", "location": "Austria"}],
        )
    )
    assert entries("writer")["Danube Robotics Cluster"]["profile"] is None
    writer = ClusterOrganisation.objects.get(slug="writer")
    change_status(draft, Status.PUBLISHED)
    assert entries("writer")["Danube Robotics Cluster"]["profile"] == "danube-robotics-cluster"
    # The writer's profile changed: a new version, with its revision.
    last = Revision.objects.filter(organisation=writer).latest("id")
    assert (last.action, last.version) == ("resolve", writer.version + 1)


def test_saving_names_only_keeps_the_resolution(cap_digital, seed_org, seed_doc):
    version = ClusterOrganisation.objects.get(slug=seed_org.slug).version
    save_document(seed_doc)  # as the editor or a re-import sends it: names and locations
    assert entries(seed_org.slug)["Cap Digital"]["profile"] == "cap-digital"
    # The document as stored, written back: nothing changed, no new version.
    assert ClusterOrganisation.objects.get(slug=seed_org.slug).version == version


def test_the_document_round_trips_with_its_links(cap_digital, seed_org):
    doc = to_document(ClusterOrganisation.objects.get(slug=seed_org.slug))
    data = json.loads(doc.model_dump_json())
    again = save_document(ProfileDoc.model_validate(data))
    assert to_document(again).model_dump() == doc.model_dump() | {}


def test_a_link_to_an_unknown_profile_starts_over(db):
    save_document(
        profile("Writer", collaborating_clusters=[
            {"name": "Somewhere Cluster", "profile": "no-such-profile", "match_status": "confirmed",
             "match_confidence": 1.0}
        ])
    )  # fmt: skip
    (entry,) = entries("writer").values()
    assert entry["profile"] is None and entry["match_status"] == "unmatched"


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "X", "match_status": "linked"},
        {"name": "X", "match_status": "pending"},
        {"name": "X", "candidate": "y", "match_status": "unmatched"},
        {"name": "X", "match_confidence": 1.5},
    ],
)
def test_inconsistent_resolutions_are_refused(entry):
    with pytest.raises(ValueError, match="collaborating_clusters"):
        profile("Writer", collaborating_clusters=[entry])


def test_a_profile_given_by_hand_is_a_confirmation():
    doc = profile("Writer", collaborating_clusters=[{"name": "X", "profile": "x"}])
    assert doc.collaborating_clusters[0].match_status == "confirmed"


def test_deleting_a_linked_profile_reopens_its_entries(cap_digital, seed_org):
    delete_profiles([cap_digital])
    entry = entries(seed_org.slug)["Cap Digital"]
    assert entry["profile"] is None and entry["match_status"] == "unmatched"
    last = Revision.objects.filter(organisation=seed_org).latest("id")
    assert (last.action, last.note) == ("resolve", "a linked profile was deleted")


def test_resolve_all_after_a_deferred_bulk_save(db, capsys):
    save_documents(
        [
            profile("Danube Robotics Cluster", country="AT"),
            profile("Writer", collaborating_clusters=[{"name": "Danube Robotics Cluster"}]),
        ],
        resolve=False,
    )
    assert entries("writer")["Danube Robotics Cluster"]["match_status"] is None
    writer = ClusterOrganisation.objects.get(slug="writer")
    call_command("resolve_collaborations")
    assert "1 linked" in capsys.readouterr().out
    assert entries("writer")["Danube Robotics Cluster"]["profile"] == "danube-robotics-cluster"
    # The document changed, so its version moved: an edit opened before must not win.
    assert ClusterOrganisation.objects.get(slug="writer").version == writer.version + 1
    assert resolve_all().changed == 0  # nothing left to do


def test_a_persons_decision_stays(db):
    save_document(profile("Danube Robotics Cluster", country="AT"))
    save_document(
        profile(
            "Writer",
            collaborating_clusters=[{"name": "Danube Robotics Cluster", "location": "Chile"}],
        )
    )
    CollaboratingCluster.objects.filter(organisation__slug="writer").update(match_status="rejected")
    resolve_all()
    (entry,) = entries("writer").values()
    assert entry["match_status"] == "rejected" and entry["candidate"] == "danube-robotics-cluster"


def test_importing_a_file_leaves_resolution_to_the_end(db, page):
    result = import_file(page("cap-digital.html"))
    assert result.created == 1
    assert all(e["match_status"] is None for e in entries("cap-digital").values())


def test_within_keeps_the_few_also_in_the_many():
    rng = np.random.default_rng(1)
    for few_size, many_size in [(0, 5), (5, 0), (1, 1), (30, 3000), (300, 40)]:
        few = np.unique(rng.integers(0, 4000, few_size))
        many = np.unique(rng.integers(0, 4000, many_size))
        assert within(few, many).tolist() == np.intersect1d(few, many).tolist()


def test_a_name_is_found_among_the_builds_and_those_written_since(db):
    save_documents([profile(f"Cluster {n}", slug=f"c{n}") for n in range(20)])
    save_document(profile("Galicia Automotive Cluster", slug="gac-1", country="ES"))
    get_index()  # built: the names so far are the build's
    save_document(profile("Galicia Automotive Cluster", slug="gac-2", country="ES"))
    save_document(profile("Galicia Cluster", slug="gc", country="ES"))
    directory = directory_of("default")
    assert directory.index.moved or directory.index.size > directory.index.base_size
    found = directory.named("galicia automotive cluster")
    assert sorted(directory.index.slugs[o] for o in found) == ["gac-1", "gac-2"]
