"""Tantivy (through its Python package) beside Clusterhub's own index, on the same data
dir: what it would take to let a search engine do the directory's search.

    pip install tantivy   # not a dependency: measured, not used
    .venv/bin/python bench/tantivy_side_by_side.py --data DIR [--queries 100]

Indexes every listed organisation (name and text as text fields, the 14 facets as
multi-valued string fast fields), then times, for the text queries of
bench/search.py's mix: one search with Tantivy's fuzzy matching (one typo from 5
letters, two from 9, as ours) and the 14 disjunctive facet counts, each a terms
aggregation over the query and every other facet's filter (Tantivy has no disjunctive
facets of its own); and one write: a document deleted and added, committed, and the
reader reloaded, until a search finds it.
"""

import argparse
import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

from common import percentiles, row


def main() -> None:
    import tantivy

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    data = Path(args.data).resolve()
    os.environ["CLUSTERHUB_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from search import query_mix

    from clusterhub.directory.index import get_index
    from clusterhub.directory.query import FACETS
    from clusterhub.directory.text import words

    index = get_index()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("name", stored=False)
    builder.add_text_field("body", stored=False)
    for key in FACETS:
        builder.add_text_field(key, stored=False, tokenizer_name="raw", fast=True)
    schema = builder.build()
    path = data / "tantivy"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    engine = tantivy.Index(schema, path=str(path))
    bodies = dict(
        sqlite3.connect(data / "clusterhub.sqlite3").execute(
            "SELECT organisation_id, body FROM directory_searchdocument"
        )
    )
    start = time.perf_counter()
    writer = engine.writer(heap_size=200_000_000)

    def document(o: int, extra: str = "") -> "tantivy.Document":
        org_id = int(index.ids[o])
        fields = {"id": org_id, "name": index.names[o], "body": bodies.get(org_id, "") + extra}
        for key in FACETS:
            fields[key] = [index.facets[key].values[v] for v in index.facets[key].values_of(o)]
        return tantivy.Document(**fields)

    live = index.live.nonzero()[0].tolist()
    for o in live:
        writer.add_document(document(o))
    writer.commit()
    writer.wait_merging_threads()
    print(f"Tantivy: {len(live)} documents indexed in {time.perf_counter() - start:.0f} s")
    engine.reload()
    searcher = engine.searcher()
    mix = [p for p in query_mix(index) if p.get("q")][: args.queries]
    samples = []
    for params in mix:
        started = time.perf_counter()
        query = engine.parse_query(
            " ".join(words(params["q"])), ["name", "body"],  # folded: no query syntax
            fuzzy_fields={"name": (True, 1, True), "body": (True, 1, True)},
        )  # fmt: skip
        filters = {k: v for k, v in params.items() if k in FACETS}
        searcher.search(query, limit=20)
        for key in FACETS:
            clauses = [(tantivy.Occur.Must, query)]
            for other, values in filters.items():
                if other != key:
                    terms = [tantivy.Query.term_query(schema, other, v) for v in values]
                    clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                        [(tantivy.Occur.Should, t) for t in terms])))  # fmt: skip
            searcher.aggregate(
                tantivy.Query.boolean_query(clauses),
                {"counts": {"terms": {"field": key, "size": 10}}},
            )
        samples.append((time.perf_counter() - started) * 1000)
    print("\n| Tantivy, text queries with 14 disjunctive facet counts (ms) | p50 | p95 | max |")
    print("|---|---|---|---|")
    print(row(f"{len(samples)} queries of bench/search.py's mix", percentiles(samples)))
    rng = random.Random(1)
    shown = []
    writer = engine.writer(heap_size=50_000_000)
    for i in range(20):
        o = rng.choice(live)
        word = f"tantivyword{i}x"
        started = time.perf_counter()
        writer.delete_documents_by_term("id", int(index.ids[o]))
        writer.add_document(document(o, " " + word))
        writer.commit()
        engine.reload()
        while not engine.searcher().search(engine.parse_query(word, ["body"]), 1).hits:
            engine.reload()
        shown.append((time.perf_counter() - started) * 1000)
    print(row("a write (delete, add, commit, reload) until a search finds it", percentiles(shown)))
    segments = engine.searcher().num_segments
    print(f"segments after 20 writes: {segments}; index on disk: "
          f"{sum(f.stat().st_size for f in path.iterdir()) / 1e6:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
