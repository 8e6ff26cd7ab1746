"""Pages other than the seed: other labels, tables with websites, missing sections, HTML."""

from datetime import date

import pytest

from clusterhub.core.errors import InputError
from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_file, parse_page, split_programme

SEED = SEED_PAGE.read_text(encoding="utf-8")


def test_silver_label_websites_three_members_two_regions(page):
    doc = parse_file(page("silver-multi-region.txt"))
    assert doc.cluster_excellence_label == "Silver"
    assert doc.established == date(2009, 3, 3)
    assert doc.regions == ["Normandie", "Île-de-France"]
    assert (doc.country, doc.country_inferred_from) == ("FR", ["region", "telephone"])
    assert [(n.name, n.website) for n in doc.networks] == [
        ("European Cluster Alliance", "https://www.clustercollaboration.eu"),
        ("Vanguard Initiative", "www.s3vanguardinitiative.eu"),
    ]
    # The second member has no telephone: the saved text simply skips that cell.
    assert [(m.first_name, m.telephone, m.email) for m in doc.management_team] == [
        ("Claire", "+33 2 35 00 00 00", "claire.dubois@nam-cluster.example"),
        ("Hugo", None, "hugo.martin@nam-cluster.example"),
        ("Léa", "+33 1 40 00 00 01", "lea.petit@nam-cluster.example"),
    ]
    assert doc.languages == ["en", "fr", "de"]
    assert doc.members.total == 1250


def test_facilities_listed_and_no_answers(page):
    doc = parse_file(page("silver-multi-region.txt"))
    assert [(f.name, f.website, f.type) for f in doc.entrepreneurship_facilities] == [
        ("Normandie Incubation", "https://www.normandie-incubation.example", "Incubator / accelerator"),
        ("Technopôle du Madrillet", None, "Science and technology park"),
    ]  # fmt: skip
    assert doc.formalised_strategy is True
    assert doc.internationalisation_strategy is False
    # A mission without "Mission:"/"Objectives:" headings keeps its paragraphs.
    assert doc.mission.split("\n\n") == [
        "Our mission is to make Normandy a leading region for aerospace and mobility.",
        "We connect SMEs, large companies and laboratories.",
    ]
    assert doc.objectives == []


def test_service_details_match_their_service_and_keep_paragraphs(page):
    doc = parse_file(page("silver-multi-region.txt"))
    assert [(s.service, s.details) for s in doc.services] == [
        ("Collaborative R&D and technology transfer",
         "We set up collaborative projects between members and laboratories.\n\n"
         "Projects are followed up twice a year."),
        ("Training and skills development", "Courses on composite materials."),
    ]  # fmt: skip


def test_empty_fields_and_other_programmes(page):
    doc = parse_file(page("silver-multi-region.txt"))
    assert doc.transnational.activities == []
    assert doc.project_references == ""
    assert [(c.name, c.location) for c in doc.collaborating_clusters] == [
        ("Hamburg Aviation", "Hamburg, Germany"),
        ("Aerospace Valley", "Toulouse (Occitanie), France"),
        ("Moravian Aerospace Cluster", None),
    ]
    assert [(p.level, p.programme, p.project, p.years, p.funder, p.link) for p in doc.programmes] == [
        ("european", "Horizon 2020", "CLUSTERS GO GREEN", [2014, 2015, 2016], None,
         "https://cordis.europa.eu/project/id/123456"),
        ("european", "COSME", "ESCP-4x Aero Partnership", [2017, 2018], None, None),
        ("national", "Programme d'investissements d'avenir", None, [2019], "Bpifrance", None),
    ]  # fmt: skip
    assert doc.programmes[1].description == "Joint internationalisation strategy towards Canada."


def test_whole_sections_missing_and_unknown_terms_kept(page):
    doc = parse_file(page("gold-minimal.txt"))
    assert doc.cluster_excellence_label == "Gold"
    assert doc.website == "www.lisbon-sea.example"
    assert doc.programmes == [] and doc.success_story == "" and doc.collaborating_clusters == []
    assert doc.members.total == 22 and doc.members.sme is None
    assert [s.service for s in doc.services] == ["Ocean data brokerage"]  # not in the vocabulary
    assert doc.formalised_strategy is False


def test_country_from_telephone_when_region_unknown(page):
    doc = parse_file(page("gold-minimal.txt"))
    assert (doc.country, doc.country_inferred_from) == ("PT", ["telephone"])


def test_no_label_and_no_country(page):
    doc = parse_file(page("no-country.txt"))
    assert doc.cluster_excellence_label is None
    assert (doc.country, doc.country_inferred_from) == (None, [])
    assert doc.established is None


def test_country_stated_on_the_page_is_not_inferred():
    text = SEED.replace(
        "Galicia\nCluster Excellence", "Galicia\nCountry: \nSpain\nCluster Excellence"
    )
    assert text != SEED
    doc = parse_page(text.encode())
    assert (doc.country, doc.country_inferred_from) == ("ES", [])


def test_html_page(page):
    doc = parse_file(page("cap-digital.html"))
    assert doc.name == "Cap Digital"
    assert (doc.country, doc.cluster_excellence_label) == ("FR", "Gold")
    assert [(n.name, n.website) for n in doc.networks] == [
        ("EIT Digital", "https://www.eitdigital.eu"),
        ("NEM Initiative", None),
    ]
    # Table cells are exact in HTML: an empty telephone stays empty, not shifted.
    assert [(m.first_name, m.position, m.telephone, m.email) for m in doc.management_team] == [
        ("Marie", "Director of International Affairs", None, "marie.durand@capdigital.example"),
        ("Paul", "Project Officer", "+33 1 00 00 00 02", None),
    ]
    assert [(f.name, f.type) for f in doc.entrepreneurship_facilities] == [
        ("Paris&Co", "Incubator / accelerator"),
        ("Station F", "Startup campus"),
    ]
    assert doc.mission == "Make the Paris region a leader of the digital transformation."
    assert doc.objectives == [
        "Support 1,000 members in their growth.",
        "Connect start-ups & corporates.",
    ]
    assert doc.international.target_countries == ["CA", "JP"]
    assert doc.transnational.target_countries == ["ES"]
    assert [(p.programme, p.project, p.link) for p in doc.programmes] == [
        ("Horizon Europe", "MediaFutures", "https://mediafutures.example")
    ]
    assert doc.success_story == "First paragraph.\n\nSecond paragraph with bold text."
    assert "European Union" not in doc.model_dump_json()  # the footer is not content


def test_same_document_from_text_and_html(seed_doc):
    """The seed rendered as simple HTML parses to the same document as its text."""
    body = "".join(
        f"<div>{line.replace('&', '&amp;').replace('<', '&lt;')}</div>\n"
        if line.strip()
        else "<p></p>\n"
        for line in SEED.splitlines()
    )
    html = f"<!doctype html><html><head><title>x</title></head><body>{body}</body></html>"
    assert parse_page(html.encode()) == seed_doc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name, 2015", ("Name", [2015], None, None)),
        ("Horizon 2020 project SMART, 2019 (EC): Smart things.", ("Horizon 2020 project SMART", [2019], "EC", "Smart things.")),
        ("Regional aid (Agency): no year given", ("Regional aid", [], "Agency", "no year given")),
        ("Plain programme name", ("Plain programme name", [], None, None)),
        ("Export plan, 2014-2016: three years", ("Export plan", [2014, 2015, 2016], None, "three years")),
    ],
)  # fmt: skip
def test_split_programme(text, expected):
    assert split_programme(text) == expected


def test_unknown_country_is_an_error_naming_the_line():
    text = SEED.replace("Chile\n", "Narnia\n")
    with pytest.raises(InputError) as info:
        parse_page(text.encode())
    assert info.value.message == "unknown country 'Narnia'"
    assert info.value.line == SEED.splitlines().index("Chile") + 1
