"""GET /api/clusters, `clusterhub search` and `clusterhub export --query`: one service."""

import json

import pytest
from django.core.management import call_command

from clusterhub.directory.query import FACETS

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"slug", "name", "country", "regions", "sectoral_industries",
             "cluster_excellence_label", "members", "snippet", "score", "synthetic"}  # fmt: skip


def test_api_contract(client, small_directory):
    response = client.get(
        "/api/clusters",
        {"q": "textil", "country": ["PT", "ES"], "sectoral_industries": "apparel", "sort": "name"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    assert [i["name"] for i in data["items"]] == [
        "Cluster Têxtil do Norte",
        "Clúster de la Moda de Galicia",
    ]
    assert set(data["items"][0]) == ITEM_KEYS
    assert set(data["facets"]) == set(FACETS)
    for facet in data["facets"].values():
        assert set(facet) == {"values", "truncated", "timed_out"}
        for value in facet["values"]:
            assert {"value", "label", "count"} <= set(value)


def test_api_rejects_bad_parameters_naming_them(client, small_directory):
    response = client.get("/api/clusters", {"page_size": "1000"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page_size"]


def test_cli_json_is_the_api_object(client, small_directory, capsys):
    call_command("search", "textil", "--filter", "country=PT", "--filter", "country=ES", "--json")
    from_cli = json.loads(capsys.readouterr().out)
    from_api = client.get("/api/clusters", {"q": "textil", "country": ["PT", "ES"]}).json()
    assert from_cli == from_api


def test_cli_text_output(small_directory, capsys):
    call_command("search", "galego")
    out = capsys.readouterr().out
    assert out.startswith("1 organisation(s)\n   1. CLUSTER DO AUDIOVISUAL GALEGO")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "colour=red"], "clusterhub search: colour: Extra inputs are not permitted\n"),
        (["--filter", "country"], "clusterhub search: --filter 'country': expected KEY=VALUE\n"),
        (["--page", "0"], "clusterhub search: page: Input should be greater than or equal to 1\n"),
    ],
)
def test_cli_bad_input_is_one_line(small_directory, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        call_command("search", "x", *args)
    assert info.value.code == 2
    assert capsys.readouterr().err == message


def test_export_query_exports_what_the_search_selects(small_directory, capsys):
    call_command("export", "--format", "jsonl", "--query", "q=textil&country=PT&country=ES")
    slugs = [json.loads(line)["slug"] for line in capsys.readouterr().out.splitlines()]
    assert slugs == [  # the last in the Textiles industrial ecosystem
        "cluster-de-la-moda-de-galicia",
        "cluster-textil-do-norte",
        "setubal-trailers-competence-centre",
    ]
