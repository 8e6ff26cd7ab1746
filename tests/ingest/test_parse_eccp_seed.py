"""The seed page (CLAG) parses to the values DESIGN.md gives, and loses nothing."""

import json
from datetime import date
from pathlib import Path

from clusterhub.profiles.schema import ProfileDoc

SEED_TEXT = (Path(__file__).parents[2] / "src/clusterhub/ingest/data/clag.txt").read_text()


def test_contract_keys_all_present(seed_doc):
    contract = """name slug established management_team_size regions country
        cluster_excellence_label other_labels networks management_team languages
        sectoral_industries technology_fields s3_priority_areas emerging_industries members
        entrepreneurship_facilities major_players mission objectives formalised_strategy
        internationalisation_strategy services international transnational
        collaborating_clusters programmes project_references success_story why_partner
        website""".split()
    assert set(contract) <= set(ProfileDoc.model_fields)
    assert set(contract) <= set(seed_doc.model_dump())


def test_general_information(seed_doc):
    assert seed_doc.name == "CLUSTER DO AUDIOVISUAL GALEGO"
    assert seed_doc.slug == "cluster-do-audiovisual-galego"
    assert seed_doc.established == date(2003, 2, 17)
    assert seed_doc.management_team_size == "1-5"
    assert seed_doc.regions == ["Galicia"]
    assert (seed_doc.country, seed_doc.country_inferred_from) == ("ES", ["region", "telephone"])
    assert seed_doc.cluster_excellence_label == "Bronze"
    assert seed_doc.other_labels == [
        "Agrupación de Empresas Innovadoras – AEI, by the Spanish Ministry of Industry and Tourism."
    ]
    assert [(n.name, n.website) for n in seed_doc.networks] == [
        ("NEM Initiative", None),
        ("ENTERPRISE EUROPE NETWORK", None),
    ]
    assert [m.model_dump() for m in seed_doc.management_team] == [
        {
            "first_name": "Mar",
            "last_name": "Varela",
            "position": "Cluster Manager",
            "telephone": "+ 34 981 941 792",
            "email": "cluster@clag.es",
            "contact_visibility": "members",  # imported pages: signed-in members see it
        },
        {
            "first_name": "Rocío",
            "last_name": "Novo",
            "position": "ECCP Responsible Person",
            "telephone": "+ 34 981 941 792",
            "email": "comunicacion@clag.es",
            "contact_visibility": "members",
        },
    ]
    assert seed_doc.languages == ["en", "es"]
    assert seed_doc.website is None


def test_focus_and_composition(seed_doc):
    assert seed_doc.sectoral_industries == [
        "Communications Equipment and Services",
        "Video Production and Distribution",
    ]
    assert seed_doc.technology_fields == ["Creative products", "Creative services"]
    assert seed_doc.s3_priority_areas == [
        "Creative, arts & entertainment activities",
        "Development of regional cultural & creative industries",
    ]
    assert seed_doc.emerging_industries == ["Creative Industries", "Digital Industries"]
    assert seed_doc.members.model_dump() == {
        "total": 40,
        "sme": 33,
        "large_companies": 3,
        "research_organisations": 2,
        "other_actors": 2,
    }
    assert seed_doc.entrepreneurship_facilities == []
    assert [(p.name, p.website, p.type) for p in seed_doc.major_players] == [
        ("Corporación de Radio e Televisión de Galicia, S.A.", None, "Larger Company"),
        ("Bambú Producciones", None, "Larger Company"),
        ("R Cable y Telecomunicaciones de Galicia, S.A.", None, "Larger Company"),
    ]


def test_strategy_and_services(seed_doc):
    assert seed_doc.mission.startswith("Create and develop in an integral way audiovisual")
    assert seed_doc.mission.endswith("attracting foreign films shoots.")
    assert len(seed_doc.objectives) == 4
    assert seed_doc.objectives[0].startswith("Use innovation either in business models")
    assert seed_doc.objectives[3] == "Increase the number of exporting companies."
    assert seed_doc.formalised_strategy is True
    assert seed_doc.internationalisation_strategy is True
    assert [s.service for s in seed_doc.services] == [
        "Access to the European Internal market",
        "Internationalisation support (= Access to third countries markets)",
        "Access to public support (regional/national programmes, innovation vouchers, etc.)",
        "Facilitation of collaboration between members",
        "Periodic Information dissemination",
    ]
    # Each details paragraph, typos kept ("Foreing Markets"), without its bullet label.
    assert seed_doc.services[1].details.startswith("Providing support to member companies")
    assert "Foreing Markets" in seed_doc.services[1].details
    assert seed_doc.services[4].details.endswith("european and international programmes.")


def test_cooperation(seed_doc):
    assert seed_doc.international.target_countries == ["BR", "CL", "CO", "MX"]
    assert seed_doc.international.activities == [
        "Participation at missions/events/study visits/fairs"
    ]
    assert seed_doc.transnational.target_countries == ["BE", "FR", "IT", "PL", "PT"]
    assert seed_doc.transnational.activities == ["Support to collaborative activities/etc."]
    assert [(c.name, c.location) for c in seed_doc.collaborating_clusters] == [
        ("16000 images", "Angoulême, France"),
        ("Cluster Twist", "Belgium"),
        ("Cap Digital", "Paris, France"),
        ("Creative Communication Cluster", "Poland"),
        ("Agencia Para o Desenvolvimento das Industrias Criativas", "Portugal"),
        ("Associazione Distretto produttivo Puglia Creativa", "Italy"),
    ]


def test_programmes(seed_doc):
    rows = [(p.level, p.programme, p.project, p.years, p.funder) for p in seed_doc.programmes]
    assert rows == [
        ("european", "CIP/COSME", "Creative International European Strategic Cluster Partnership", [2015], None),
        ("european", "INTERREG", "MEDIATICO NETWORK", [2012], None),
        ("european", "Other", "MEDIA SUBPROGRAMME - Support for Audiencie Development", [2015], None),
        ("national", "Acción y Promoción Cultural", None, [2015, 2016], "Ministry of Education and Culture"),
        ("national", "Agrupaciones Empresariales Innovadoras - AEI", None, [2015], "Ministry of Industry, Energy and Tourism"),
        ("regional", "Galicia Exporta Organismos Intermedios", None, [2016], "IGAPE"),
        ("regional", "Ayudas a Agrupaciones Empresariales Innovadoras", None, [2014], "IGAPE"),
        ("regional", "Conecta PEME", None, [2016], "Axencia Galega de Innovación"),
    ]  # fmt: skip
    assert seed_doc.programmes[1].description.startswith("Demonstrative and validating NETWORK")
    assert seed_doc.programmes[2].description == "CINEUP"
    assert seed_doc.programmes[3].description.startswith("Support for promotion and production")


def test_promotion_keeps_paragraphs(seed_doc):
    assert seed_doc.project_references.startswith("Support in attendance or participation")
    paragraphs = seed_doc.success_story.split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[1] == "1. Participation and attendance to international markets:"
    assert paragraphs[3] == "2. Pithcing: “I+P, Ideas para Producir”:"  # typo kept
    assert seed_doc.why_partner.split("\n\n")[-1] == (
        "We are eager to make new contacts and start new projects."
    )


def test_no_word_of_the_page_is_lost(seed_doc):
    """Every word of every field value on the page is somewhere in the document."""
    document_text = json.dumps(seed_doc.model_dump(mode="json"), ensure_ascii=False)
    words_of_labels = set(
        "Bronze Label English Spanish Brazil Chile Colombia Mexico Belgium France Italy Poland "
        "Portugal Monday February Yes International Trans-national Cooperation".split()
    )
    body = SEED_TEXT.split("General Information", 1)[1]
    labels = {line.strip() for line in body.splitlines() if line.rstrip().endswith(":")}
    missing = set()
    for line in body.splitlines():
        if line.strip() in labels:
            continue
        for word in line.replace("•", " ").split():
            word = word.strip(".,:;()")
            if word not in document_text and word not in words_of_labels:
                missing.add(word)
    # What is left is page furniture: labels, table headers and section headings.
    assert missing <= {
        "NameWebsite", "NameSurnamePositionTelephoneEmail", "NameWebsiteType",
        "ProgrammesProject", "NameLinkName", "&", "Description", "Regional/National)Link",
        "Regional/National", "European", "Sectoral", "Industrial", "Focus", "Composition",
        "Strategy", "Services", "Activities", "Programmes", "Promotion", "Mission", "Objectives",
        "=Access", "International", "regional/national/european/international", "vouchers",
    }, missing  # fmt: skip


def test_snapshot_of_the_whole_document(seed_doc):
    """The full document, reviewed by hand against the page, in expected/clag.json."""
    expected = json.loads((Path(__file__).parent / "expected" / "clag.json").read_text())
    assert seed_doc.model_dump(mode="json") == expected
