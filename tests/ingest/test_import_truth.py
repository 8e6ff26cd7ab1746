"""What an import takes from a page: the country from all the evidence the page gives,
programme names that hold a year, a warning for a page that ends inside a section; and
an administrator made by `createsuperuser` signs in by email."""

import pytest
from django.core.management import call_command

from clusterhub.core.places import infer_country
from clusterhub.ingest.demo import SEED_PAGE
from clusterhub.ingest.eccp import parse_page, parse_page_with_warnings, split_programme
from clusterhub.ingest.services import import_file

SEED = SEED_PAGE.read_text(encoding="utf-8")


def seed_with(region: str, telephone: str = "+ 34 981 941 792", **replace) -> bytes:
    text = SEED.replace("Regions:\xa0\nGalicia", f"Regions:\xa0\n{region}").replace(
        "+ 34 981 941 792", telephone
    )
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.encode()


def test_the_seed_page_holds_the_regions_label():
    assert "Regions:\xa0\nGalicia" in SEED  # the replacements below touch what they mean to


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ({"regions": ["Galicia"]}, ("ES", ["region"])),
        ({"regions": ["Limburg"]}, (None, [])),  # Belgium or the Netherlands: not a guess
        ({"regions": ["Limburg"], "telephones": ["+32 11 22 33 44"]}, ("BE", ["region", "telephone"])),
        ({"regions": ["Limburg"], "website": "https://www.brightlands.nl"}, ("NL", ["region", "website"])),
        ({"regions": ["Luxembourg"], "languages": ["fr", "lb"]}, ("LU", ["region", "language"])),
        ({"telephones": ["+351 21 000 0000"]}, ("PT", ["telephone"])),
        ({"website": "cluster.de"}, ("DE", ["website"])),
        ({"website": "cluster.eu"}, (None, [])),
        ({"name": "Cluster Automotive Portugal"}, ("PT", ["name"])),
        ({"languages": ["gl"]}, ("ES", ["language"])),
        ({"languages": ["es"]}, (None, [])),  # official in twenty countries: says nothing
        # A region outweighs one telephone abroad.
        ({"regions": ["Galicia"], "telephones": ["+33 1 22 33 44 55"]}, ("ES", ["region"])),
    ],
)  # fmt: skip
def test_the_country_is_inferred_from_all_the_evidence(evidence, expected):
    assert infer_country(**evidence) == expected


def test_a_page_with_an_ambiguous_region_is_decided_by_the_rest(db):
    doc = parse_page(seed_with("Limburg", "+ 32 11 22 33 44"))
    assert (doc.country, doc.country_inferred_from) == ("BE", ["region", "telephone"])
    doc = parse_page(seed_with("Limburg", "+ 31 43 22 33 44"))
    assert (doc.country, doc.country_inferred_from) == ("NL", ["region", "telephone"])


def test_a_page_naming_its_country_only_in_its_name_is_placed_by_it(db):
    unplaced = seed_with("Nowhere Land", "+ 00 000")
    assert parse_page(unplaced).country is None
    doc = parse_page(
        unplaced.replace(b"CLUSTER DO AUDIOVISUAL GALEGO", b"Cluster Audiovisual Portugal")
    )
    assert (doc.country, doc.country_inferred_from) == ("PT", ["name"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Horizon 2020, 2019 (EC): Smart things.", ("Horizon 2020", [2019], "EC", "Smart things.")),
        ("Horizon 2020 (European Commission): Greener ports.", ("Horizon 2020", [], "European Commission", "Greener ports.")),
        ("Interreg 2014-2020, 2016 and 2017 (ERDF): A project.", ("Interreg 2014-2020", [2016, 2017], "ERDF", "A project.")),
        ("Cluster support programme 2015, 2015 and 2016 (Ministry): Aid.", ("Cluster support programme 2015", [2015, 2016], "Ministry", "Aid.")),
        ("Acción y Promoción Cultural, 2015 and 2016 (Ministry of Education and Culture): x", ("Acción y Promoción Cultural", [2015, 2016], "Ministry of Education and Culture", "x")),
    ],
)  # fmt: skip
def test_a_programme_whose_name_holds_a_year_keeps_it(text, expected):
    assert split_programme(text) == expected


def test_a_page_ending_inside_a_section_is_imported_with_a_warning(db, tmp_path, capsys):
    cut = SEED[: SEED.index("Support Programmes")]  # ends in Cooperation Activities
    doc, warnings = parse_page_with_warnings(cut.encode())
    assert doc.name == "CLUSTER DO AUDIOVISUAL GALEGO"
    assert warnings == [
        "the page ends inside the section 'Cooperation Activities': Support Programmes, "
        "Promotion missing; imported what it holds"
    ]
    path = tmp_path / "cut.txt"
    path.write_text(cut, encoding="utf-8")
    call_command("import", "--quiet", str(path))
    err = capsys.readouterr().err
    assert err == f"clusterhub import: {path}: warning: {warnings[0]}\n"
    assert import_file(path).warnings == warnings  # and re-imported, the same


def test_a_whole_page_has_no_warning():
    assert parse_page_with_warnings(SEED.encode())[1] == []


def test_createsuperuser_makes_an_account_that_signs_in_by_email(client, db):
    call_command(
        "createsuperuser", "--noinput", "--username", "admin", "--email", "Admin@Example.org"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="admin")
    user.set_password("a-long-Password-1")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": "admin@example.org", "password": "a-long-Password-1"}
    )
    assert response.status_code == 302 and response.url == "/accounts/"
    assert client.get("/accounts/").status_code == 200
