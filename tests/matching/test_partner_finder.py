"""The partner finder: proposals ranked with reasons in words, by intent and filters."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from clusterhub.matching.index import RELATED_SECTORS, link_label, related_sectors
from clusterhub.matching.query import PartnerQuery
from clusterhub.matching.services import NotRecommendable, recommend
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.vocab.services import vocabularies
from tests.documents import save_document, save_documents


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


@pytest.fixture
def directory(db, seed_doc):
    """The seed (ES, audiovisual, targets BR, CL, CO, MX, BE, FR, IT, PL, PT) and
    candidates each with one kind of reason."""
    save_documents(
        [
            seed_doc,
            profile("Rio Audiovisual Cluster", country="BR",
                    sectoral_industries=["Video Production and Distribution"],
                    members={"total": 50, "sme": 45, "research_organisations": 1}),
            profile("Lisbon Screen Cluster", country="PT",
                    sectoral_industries=["Video Production and Distribution"],
                    international={"target_countries": ["ES"]}),
            profile("Madrid Screen Cluster", country="ES",
                    sectoral_industries=["Video Production and Distribution"]),
            profile("Berlin Sound Cluster", country="DE",
                    sectoral_industries=["Music and Sound Recording"],
                    members={"total": 40, "sme": 20, "research_organisations": 12}),
            profile("Baltic Timber Cluster", country="LV", sectoral_industries=["Wood Products"]),
            profile("Cap Digital", country="FR", regions=["Île-de-France"],
                    sectoral_industries=["Information Technology and Analytical Instruments"]),
        ]
    )  # fmt: skip
    return seed_doc.slug


def partners(slug: str, **query) -> dict:
    return {p.name: p for p in recommend(slug, PartnerQuery(**query)).partners}


def test_each_proposal_says_why_naming_the_shared_values(directory):
    found = partners(directory)
    rio = found["Rio Audiovisual Cluster"]
    texts = [r.text for r in rio.reasons]
    assert "both in Video Production and Distribution" in texts
    assert "you target Brazil, where it is located" in texts
    assert rio.score == pytest.approx(sum(r.points for r in rio.reasons), abs=0.2)
    lisbon = [r.text for r in found["Lisbon Screen Cluster"].reasons]
    assert (
        "you target Portugal, where it is located; it targets Spain, where you are located"
        in lisbon
    )
    sound = [r.text for r in found["Berlin Sound Cluster"].reasons]
    assert any(t.startswith("in Music and Sound Recording, next to your") for t in sound)
    assert any(t.startswith("research-heavy (30% of its members") for t in sound)
    assert all(p.reasons for p in found.values())
    assert next(iter(found)) in ("Rio Audiovisual Cluster", "Lisbon Screen Cluster")
    assert "Baltic Timber Cluster" not in found  # nothing in common


def test_existing_collaborations_are_marked_not_proposed(directory):
    result = recommend(directory, PartnerQuery())
    assert "Cap Digital" not in {p.name for p in result.partners}
    (cap,) = result.existing
    assert cap.name == "Cap Digital" and cap.collaborating


def test_same_sector_abroad(directory):
    found = partners(directory, intent="same_sector_abroad")
    assert set(found) == {"Rio Audiovisual Cluster", "Lisbon Screen Cluster"}


def test_complementary_sectors(directory):
    found = partners(directory, intent="complementary")
    assert "Berlin Sound Cluster" in found
    assert "Madrid Screen Cluster" not in found  # same sector, not complementary


def test_filters_and_the_country_intent(directory):
    assert set(partners(directory, intent="country", country=["BR"])) == {"Rio Audiovisual Cluster"}
    assert set(partners(directory, country=["DE", "LV"])) == {"Berlin Sound Cluster"}
    assert partners(directory, sectoral_industries=["wood-products"]) == {}  # nothing in common
    screens = partners(directory, sectoral_industries=["video-production-and-distribution"])
    assert set(screens) == {
        "Rio Audiovisual Cluster",
        "Lisbon Screen Cluster",
        "Madrid Screen Cluster",
    }
    with pytest.raises(ValueError, match="needs the country"):
        PartnerQuery(intent="country")


def test_unknown_or_unpublished_profiles_have_no_partners(directory):
    with pytest.raises(NotRecommendable):
        recommend("no-such-cluster", PartnerQuery())


def test_the_partner_page_explains_each_proposal(client, directory, django_assert_max_num_queries):
    recommend(directory, PartnerQuery())  # indexes built: the page's own queries are counted
    with django_assert_max_num_queries(12):
        response = client.get(f"/clusters/{directory}/partners/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Both in Video Production and Distribution" in page
    assert "You target Brazil, where it is located" in page
    assert "Already collaborating" in page and "Cap Digital" in page
    # The page's menus send "Any" as an empty value: not a filter.
    menus = client.get(f"/clusters/{directory}/partners/?intent=same_sector_abroad&country=")
    assert menus.status_code == 200 and "Rio Audiovisual Cluster" in menus.content.decode()
    bad = client.get(f"/clusters/{directory}/partners/?intent=country")
    assert bad.status_code == 400 and "needs the country" in bad.content.decode()
    assert client.get("/clusters/no-such/partners/").status_code == 404


def test_the_api(client, directory):
    response = client.get(f"/api/clusters/{directory}/partners?intent=same_sector_abroad&limit=1")
    assert response.status_code == 200
    data = response.json()
    assert data["intent"] == "same_sector_abroad" and len(data["partners"]) == 1
    assert {"kind", "text", "points"} <= set(data["partners"][0]["reasons"][0])
    assert client.get(f"/api/clusters/{directory}/partners?intent=programme").status_code == 422
    assert client.get("/api/clusters/no-such/partners").status_code == 404


def test_the_cli(directory, capsys):
    call_command("recommend", directory, "--limit", "2")
    out = capsys.readouterr().out
    assert out.startswith("Partners for CLUSTER DO AUDIOVISUAL GALEGO")
    assert "both in Video Production and Distribution" in out
    assert "Already collaborating (not proposed): Cap Digital" in out
    call_command("recommend", directory, "--json", "--filter", "country=DE")
    data = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in data["partners"]] == ["Berlin Sound Cluster"]
    with pytest.raises(SystemExit) as exit_info:
        call_command("recommend", "no-such-cluster")
    assert exit_info.value.code == 2
    assert "no published profile 'no-such-cluster'" in capsys.readouterr().err


def test_related_sectors_are_reviewable_data():
    related = related_sectors()
    sectors = set(vocabularies()["sectoral_industries"].labels)
    assert set(related) <= sectors
    assert "Apparel" in related["Textile Manufacturing"]
    assert "Communications Equipment and Services" in related["Video Production and Distribution"]
    for a, others in related.items():
        for b, why in others.items():
            assert related[b][a] == why  # both ways
    assert RELATED_SECTORS.read_text().startswith("# Related sectoral industries")


def test_a_new_profile_is_proposed_after_it_is_saved(directory):
    assert "Oporto Screen Cluster" not in partners(directory)
    save_document(profile("Oporto Screen Cluster", country="PT",
                          sectoral_industries=["Video Production and Distribution"]))  # fmt: skip
    assert "Oporto Screen Cluster" in partners(directory)


def test_the_reasons_are_written_in_the_readers_language(client, directory):
    with translation.override("es"):
        found = partners(directory)
    rio = [r.text for r in found["Rio Audiovisual Cluster"].reasons]
    assert "ambos en Producción y distribución audiovisual" in rio
    assert "usted se dirige a Brasil, donde está situado" in rio
    sound = [r.text for r in found["Berlin Sound Cluster"].reasons]
    assert any(t.startswith("en Música y grabación sonora, junto a su ") for t in sound)
    assert any("30\xa0%" in t and "organismos de investigación" in t for t in sound), sound
    page = client.get(f"/de/clusters/{directory}/partners/").content.decode()
    assert "Beide in Videoproduktion und -vertrieb" in page
    assert "Both in" not in page


def test_every_link_between_sectors_is_worded_in_every_language():
    whys = {why for others in related_sectors().values() for why in others.values()}
    for code, _ in settings.LANGUAGES:
        if code == "en":
            continue
        with translation.override(code):
            untranslated = [why for why in whys if link_label(why) == why]
        assert not untranslated, f"{code}: {untranslated}"
