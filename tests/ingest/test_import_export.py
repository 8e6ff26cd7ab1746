"""`clusterhub import` and `clusterhub export`: idempotent, all-or-nothing, lossless."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from clusterhub.ingest.demo import SEED_PAGE, synthetic_profiles
from clusterhub.ingest.formats import CSV_COLUMNS
from clusterhub.ingest.services import export, import_file
from clusterhub.profiles.models import ClusterOrganisation, Programme
from tests.documents import save_documents

pytestmark = pytest.mark.django_db(transaction=False)


def exported(fmt: str) -> str:
    out = io.StringIO()
    export(fmt, out)
    return out.getvalue()


def cli(capsys, command, *args):
    """Run a command as the CLI does (call_command: run_from_argv would close the test DB)."""
    try:
        call_command(command, *map(str, args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_data(db):
    save_documents(synthetic_profiles(25, seed=3))


def test_json_export_reimports_byte_identical(demo_data, seed_org, tmp_path, capsys):
    first = tmp_path / "first.json"
    assert cli(capsys, "export", "--format", "json", "-o", first)[0] == 0
    ClusterOrganisation.objects.all().delete()
    assert cli(capsys, "import", "--quiet", first)[0] == 0
    assert ClusterOrganisation.objects.count() == 26
    second = tmp_path / "second.json"
    cli(capsys, "export", "--format", "json", "-o", second)
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text())[0]["slug"] < json.loads(first.read_text())[1]["slug"]


def test_export_to_stdout_equals_export_to_file(seed_org, tmp_path, capsys):
    code, out, _ = cli(capsys, "export", "--format", "jsonl")
    assert code == 0
    path = tmp_path / "x.jsonl"
    cli(capsys, "export", "--format", "jsonl", "-o", path)
    assert out == path.read_text()
    assert json.loads(out.splitlines()[0])["name"] == "CLUSTER DO AUDIOVISUAL GALEGO"


def test_reimport_updates_and_never_duplicates(tmp_path, capsys):
    code, out, _ = cli(capsys, "import", SEED_PAGE)
    assert code == 0 and out.splitlines()[0].endswith("1 created (published), 0 updated")
    code, out, _ = cli(capsys, "import", SEED_PAGE)
    assert out.splitlines()[0].endswith("0 created (published), 1 updated")
    assert ClusterOrganisation.objects.count() == 1
    assert Programme.objects.count() == 8


def test_each_file_is_all_or_nothing(seed_doc, tmp_path, capsys):
    good = seed_doc.model_dump(mode="json")
    bad = {**good, "slug": "second", "languages": ["en", "xx"]}
    path = tmp_path / "two.jsonl"
    path.write_text(json.dumps({**good, "slug": "first"}) + "\n\n" + json.dumps(bad) + "\n")
    other = tmp_path / "ok.json"
    other.write_text(json.dumps(good))
    code, _, err = cli(capsys, "import", "--quiet", path, other)
    assert code == 2
    assert err.splitlines() == [
        f"clusterhub import: {path}:3: profile (second): languages[1]: 'xx' is not an ISO 639-1 language code (file not imported)",
        "clusterhub import: 1 of 2 file(s) failed",
    ]
    assert list(ClusterOrganisation.objects.values_list("slug", flat=True)) == [seed_doc.slug]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", '{"name": "X", "slug": "x",', "a.json:1: invalid JSON: Expecting property name enclosed in double quotes (column 27)"),
        ("b.json", '[{"name": "X", "colour": "red"}]', "b.json: profile 1 (X): colour: Extra inputs are not permitted"),
        ("c.json", '[{"slug": "x"}]', "c.json: profile 1 (x): name: Field required"),
        ("d.jsonl", '{"name": "X"}\n[1]\n', "d.jsonl:2: profile: expected a JSON object, found list"),
        ("e.csv", "name,colour\nX,red\n", "e.csv:2: unknown column 'colour'"),
        ("f.csv", "name,members_total\nX,many\n", "f.csv:2: column 'members_total': 'many' is not a number"),
        ("g.csv", "slug\nx\n", "g.csv:1: CSV header has no 'name' column"),
        ("h.json", '{"name": "X", "country": "Spain"}', "h.json: profile 1 (X): country: 'Spain' is not an ISO 3166-1 alpha-2 country code"),
    ],
)  # fmt: skip
def test_bad_files_get_one_clear_line(name, content, message, tmp_path, capsys):
    path = tmp_path / name
    path.write_text(content)
    code, _, err = cli(capsys, "import", "--quiet", path)
    assert code == 2
    assert err.splitlines()[0] == f"clusterhub import: {tmp_path}/{message} (file not imported)"
    assert not ClusterOrganisation.objects.exists()


def test_csv_has_one_row_per_organisation_and_round_trips(demo_data, seed_org, tmp_path):
    text = exported("csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 26
    assert tuple(rows[0]) == CSV_COLUMNS
    clag = next(r for r in rows if r["slug"] == "cluster-do-audiovisual-galego")
    assert clag["transnational_target_countries"].splitlines() == ["BE", "FR", "IT", "PL", "PT"]
    assert clag["members_total"] == "40" and clag["formalised_strategy"] == "true"
    assert json.loads(clag["programmes"])[3]["years"] == [2015, 2016]
    before = exported("json")
    path = tmp_path / "all.csv"
    path.write_text(text)
    ClusterOrganisation.objects.all().delete()
    import_file(path)
    assert exported("json") == before


def test_import_pages_directories_and_html(page, capsys):
    code, out, _ = cli(capsys, "import", page("cap-digital.html"), page("").parent / "pages")
    assert code == 0
    assert ClusterOrganisation.objects.count() == 4  # the HTML page is in the folder too
    assert "cap-digital.html: 0 created (published), 1 updated" in out


def test_jsonld_is_schema_org(seed_org):
    data = json.loads(exported("jsonld"))
    assert data["@context"] == "https://schema.org"
    (node,) = data["@graph"]
    assert node["@type"] == "Organization"
    assert node["name"] == "CLUSTER DO AUDIOVISUAL GALEGO"
    assert node["foundingDate"] == "2003-02-17"
    assert node["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "ES",
        "addressRegion": "Galicia",
    }
    assert {"@type": "Language", "name": "Spanish", "alternateName": "es"} in node["knowsLanguage"]
    assert "Video Production and Distribution" in node["knowsAbout"]
    assert node["award"][0] == "Cluster Excellence Bronze Label"
    assert [m["name"] for m in node["memberOf"]] == ["NEM Initiative", "ENTERPRISE EUROPE NETWORK"]
    assert "email" not in json.dumps(node["employee"])


def test_export_of_an_empty_directory(db):
    assert exported("json") == "[]\n"
    assert exported("jsonl") == ""
    assert exported("csv").splitlines() == [",".join(CSV_COLUMNS)]


def test_export_to_an_unwritable_place(seed_org, tmp_path, capsys):
    code, _, err = cli(capsys, "export", "-o", tmp_path / "missing" / "x.json")
    assert code == 2
    assert err == f"clusterhub export: {tmp_path}/missing/x.json: No such file or directory\n"


def test_demo_command(capsys):
    call_command("demo", profiles=5, seed=2)
    assert ClusterOrganisation.objects.filter(synthetic=True).count() == 5
    assert ClusterOrganisation.objects.filter(synthetic=False).count() == 1
    call_command("demo", profiles=5, seed=2, if_empty=True)
    assert ClusterOrganisation.objects.count() == 6


def test_csv_columns_cover_every_document_key():
    from clusterhub.profiles.schema import InternationalCooperationDoc, MembersDoc, ProfileDoc

    expected = set()
    for key in ProfileDoc.model_fields:
        if key == "members":
            expected |= {f"members_{m}" for m in MembersDoc.model_fields}
        elif key in ("international", "transnational"):
            expected |= {f"{key}_{f}" for f in InternationalCooperationDoc.model_fields}
        else:
            expected.add(key)
    assert set(CSV_COLUMNS) == expected


def test_import_leaves_the_garbage_collector_as_it_was(seed_doc, tmp_path):
    import gc

    from clusterhub.core.errors import InputError

    good = tmp_path / "good.jsonl"
    good.write_text(seed_doc.model_dump_json() + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(seed_doc.model_dump_json() + "\n{not json\n")
    assert gc.isenabled()
    import_file(good)
    assert gc.isenabled()
    with pytest.raises(InputError):
        import_file(bad)
    assert gc.isenabled()


def test_the_documented_csv_layout_is_the_code_s():
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    layout = text[text.index("## CSV column layout") : text.index("## Contact details")]
    documented = re.findall(r"\| `([a-z0-9_]+)`|, `([a-z0-9_]+)`", layout)
    assert [a or b for a, b in documented] == list(CSV_COLUMNS)
