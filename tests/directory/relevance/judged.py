"""The judged query set (`queries.toml`): what is relevant to each query, and recall@10
and nDCG@10 of a ranking — shared by the relevance test and bench/relevance.py."""

import math
import tomllib
from pathlib import Path

QUERIES_FILE = Path(__file__).with_name("queries.toml")
K = 10


def queries() -> list[dict]:
    return tomllib.loads(QUERIES_FILE.read_text(encoding="utf-8"))["query"]


def relevant(index, judged: dict) -> set[str]:
    """Slugs of the organisations the query's judgement names, from the facet index
    (values by label; countries by code) and the folded words of names."""
    from clusterhub.directory.text import words

    conditions = judged["relevant"]
    found: set[str] = set()
    for condition in conditions if isinstance(conditions, list) else [conditions]:
        mask = index.live.copy()
        for key, ticked in judged.get("filters", {}).items():  # as the query is filtered
            mask &= index.facets[key].mask(ticked, index.size)
        for key, wanted in condition.items():
            if key == "name":
                mask &= [set(wanted) <= set(words(n)) for n in index.names[: index.size]]
                continue
            column = index.facets[key]
            rows = [i for i, (v, label) in enumerate(zip(column.values, column.labels, strict=True))
                    if v in wanted or label in wanted]  # fmt: skip
            if len(rows) != len(wanted):
                raise ValueError(f"{judged['q']!r}: {key} has no value {wanted}")
            mask &= column._having(rows, index.size)
        found |= {index.slugs[o] for o in mask.nonzero()[0].tolist()}
    return found


def scores(ranked: list[str], relevant: set[str]) -> tuple[float, float]:
    """(recall@10, nDCG@10) of a ranking, relevance binary; recall over at most 10."""
    top = ranked[:K]
    ideal = min(len(relevant), K)
    if not ideal:
        return 1.0, 1.0
    hits = [slug in relevant for slug in top]
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
    idcg = sum(1 / math.log2(i + 2) for i in range(ideal))
    return sum(hits) / ideal, dcg / idcg


def query_params(judged: dict) -> dict:
    return {"q": judged["q"], **judged.get("filters", {}), "page_size": K}
