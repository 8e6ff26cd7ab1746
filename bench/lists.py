"""The smaller lists (opportunities, funding calls) at the sizes a platform reaches.

    .venv/bin/python bench/lists.py [--opportunities 5000] [--calls 2000] [--requests 40] [--writes 100]

In a fresh data dir (the demo's 300 profiles), through Django's whole request stack:
`/opportunities/` and `/calls/` (page and API) for the whole list, a word, a facet
value and both; then the write path: an opportunity published through the services,
and how long until the list shows it; the process's memory (settled: garbage
collected, freed memory handed back) before the requests, after them and after the
writes.
"""

import argparse
import ctypes
import gc
import random
import sys
import time

from common import clusterhub, data_dir, django_on, moderator, percentiles, resident_mb, row

QUERIES = ("", "q=wind", "kind=offer", "q=wind&target_countries=PT&target_countries=ES")
CALL_QUERIES = ("", "q=innovation", "state=open", "q=innovation&kind=eu&eligible_countries=PT")


def _fill(opportunities: int, calls: int, rng: random.Random) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from clusterhub.calls.models import FundingCall
    from clusterhub.opportunities.models import Opportunity
    from clusterhub.profiles.models import ClusterOrganisation
    from clusterhub.vocab.models import Term

    orgs = list(ClusterOrganisation.objects.values_list("pk", flat=True))
    terms = list(Term.objects.filter(vocabulary__in=["sectoral_industries", "technology_fields"]))
    countries = ["ES", "PT", "FR", "DE", "IT", "PL", "DK", "SE", "NL", "BE", "AT", "CZ"]
    words = ["wind", "textile", "automotive", "health", "digital", "food", "space", "water"]
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        made = Opportunity.objects.bulk_create(
            Opportunity(
                organisation_id=rng.choice(orgs), kind=rng.choice(["offer", "request", "partner_search"]),
                title=f"{rng.choice(words).title()} partners wanted {n}",
                summary=" ".join(rng.choices(words, k=30)), status="published", published_at=now,
                target_countries=rng.sample(countries, 3), expires_on=today + timedelta(days=60),
            )
            for n in range(opportunities)
        )  # fmt: skip
        through = Opportunity.terms.through
        through.objects.bulk_create(
            through(opportunity_id=o.pk, term_id=t.pk) for o in made for t in rng.sample(terms, 3)
        )
        FundingCall.objects.bulk_create(
            FundingCall(
                identifier=f"BENCH-{n}", programme=rng.choice(["Horizon Europe", "Interreg", "SMP"]),
                title=f"{rng.choice(words).title()} innovation call {n}",
                summary=" ".join(rng.choices(words, k=40)), link="https://example.org/",
                kind=rng.choice(["eu", "national", "regional", "cascade"]),
                opens_on=today - timedelta(days=rng.randint(-30, 200)),
                closes_on=today + timedelta(days=rng.randint(-100, 200)),
                eligible_countries=rng.sample(countries, 5),
            )
            for n in range(calls)
        )  # fmt: skip
        # An established list: its rows were written before today, not this second.
        hour_ago = now - timedelta(hours=1)
        Opportunity.objects.update(updated_at=hour_ago)
        FundingCall.objects.update(updated_at=hour_ago)


def _settled() -> float:
    gc.collect()
    ctypes.CDLL(None).malloc_trim(0)
    return resident_mb()


def _time(client, path: str, requests: int) -> dict:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    data = data_dir("lists")
    clusterhub(data, "migrate", "-v0")
    clusterhub(data, "demo", "--profiles", "300", stdout=sys.stderr)
    django_on(data)
    from django.test import Client

    from clusterhub.opportunities import services
    from clusterhub.opportunities.listing import OpportunityQuery, search

    _fill(args.opportunities, args.calls, random.Random(1))
    client = Client(SERVER_NAME="localhost")
    before = _settled()
    print(f"{args.opportunities} opportunities, {args.calls} calls; memory {before:.0f} MB\n")
    print("| request | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    for base, queries in (("/opportunities/", QUERIES), ("/api/opportunities", QUERIES),
                          ("/calls/", CALL_QUERIES), ("/api/calls", CALL_QUERIES)):  # fmt: skip
        for query in queries:
            path = base + ("?" + query if query else "")
            print(row(f"`{path}`", _time(client, path, args.requests)))

    after = _settled()
    owner = moderator()
    data_in = services.OpportunityIn(
        kind="offer", title="Benchmark offer of a mooring test bench", summary="A test bench.",
        target_countries=["PT"],
    )  # fmt: skip
    writes, shown, memory = [], [], []
    for n in range(args.writes):
        started = time.perf_counter()
        made = services.create(owner, "cluster-do-audiovisual-galego", data_in)
        services.change_status(owner, made.pk, "submit")
        services.change_status(owner, made.pk, "publish")
        written = time.perf_counter()
        found = search(OpportunityQuery(q="mooring", page_size=100))
        writes.append((written - started) * 1000)
        shown.append((time.perf_counter() - written) * 1000)
        assert found.total == n + 1
        if n + 1 in (args.writes // 2, args.writes):
            memory.append(_settled())
    print(row("write: post, submit and publish an opportunity", percentiles(writes)))
    print(row("the next search, which shows it (the index caught up)", percentiles(shown)))
    print(
        f"\nmemory: {before:.0f} MB before the requests, {after:.0f} MB after them, "
        f"{memory[0]:.0f} MB after {args.writes // 2} writes, {memory[1]:.0f} MB after {args.writes}"
    )


if __name__ == "__main__":
    main()
