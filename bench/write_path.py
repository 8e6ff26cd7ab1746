"""The write path at 100,000 profiles: single edits, and documents written back unchanged.

    .venv/bin/python bench/write_path.py --data DIR [--edits 100] [--round-trips 2000]

`DIR` is a data dir that `bench/import_profiles.py` left (its profiles imported and
their collaborations resolved). On a copy of its database, it times:

- edits: one profile at a time, as the editor saves one (`editing.update_profile` by a
  moderator: version check, resolution of its collaborations, rows, search document,
  revision, directory version), and how long until the directory's search finds the
  change (its index rebuilt in the process);
- round trips: the documents of random profiles read and written back unchanged, which
  must change nothing (no version, no revision, no row) — checked, not only timed.

The process's resident memory is reported after the index is built, then after each
half of the edits and of the round trips (each time once the background rebuild of
the index is done, the garbage collected and the allocator's free memory handed
back): writes must not make it grow.
"""

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

from common import copy_of, django_on, moderator, percentiles, row, settled_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--round-trips", type=int, default=2000)
    parser.add_argument("--shown", type=int, default=3, help="edits waited for in search")
    args = parser.parse_args()
    copy = copy_of(Path(args.data), "write-path")
    django_on(copy)
    from clusterhub.accounts.editing import update_profile
    from clusterhub.accounts.models import Revision
    from clusterhub.directory.index import get_index
    from clusterhub.directory.query import DirectoryQuery
    from clusterhub.directory.services import search
    from clusterhub.profiles.document import to_document
    from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster
    from clusterhub.profiles.writing import save_profiles

    editor = moderator()
    started = time.perf_counter()
    get_index()
    print(f"data: {ClusterOrganisation.objects.count()} profiles; index built in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    rng = random.Random(1)
    pks = list(ClusterOrganisation.objects.values_list("pk", flat=True))

    def settled(label: str) -> None:
        memory.append(f"{settled_mb():.0f} MB {label}")

    memory = []
    settled("after the index")

    edits, shown = [], []
    for i, pk in enumerate(rng.sample(pks, args.edits)):
        org = ClusterOrganisation.objects.get(pk=pk)
        word = f"benchword{i}x"
        doc = to_document(org)
        doc = doc.model_copy(update={"mission": f"{doc.mission} {word}"})
        started = time.perf_counter()
        update_profile(editor, org.slug, doc, org.version)
        edits.append((time.perf_counter() - started) * 1000)
        if i < args.shown:
            # Past 5,000 profiles a stale index is rebuilt in a thread while the previous
            # one answers: the edit shows once that is done.
            started = time.perf_counter()
            while not search(DirectoryQuery(q=word)).total:
                time.sleep(0.05)
            shown.append((time.perf_counter() - started) * 1000)
        if i + 1 in (args.edits // 2, args.edits):
            settled(f"after {i + 1} edits")

    linked = CollaboratingCluster.objects.filter(match_status__in=["linked", "confirmed"]).count()
    revisions = Revision.objects.count()
    trips = []
    sample = rng.sample(pks, args.round_trips)
    versions = dict(ClusterOrganisation.objects.filter(pk__in=sample).values_list("pk", "version"))
    for start in range(0, len(sample), 100):
        docs = [to_document(pk) for pk in sample[start : start + 100]]
        started = time.perf_counter()
        save_profiles(docs, action="import", keep_pending=True)
        trips.append((time.perf_counter() - started) * 1000 / len(docs))
        if start + 100 in (len(sample) // 2, len(sample)):
            settled(f"after {start + 100} round trips")
    after = dict(ClusterOrganisation.objects.filter(pk__in=sample).values_list("pk", "version"))
    assert after == versions, "a document written back unchanged changed a version"
    assert Revision.objects.count() == revisions, (
        "a document written back unchanged made a revision"
    )
    assert (
        CollaboratingCluster.objects.filter(match_status__in=["linked", "confirmed"]).count()
        == linked
    ), "a document written back unchanged lost a link"

    print("| write path (ms) | p50 | p95 | max |\n|---|---|---|---|")
    print(row(f"one edit saved ({args.edits} profiles)", percentiles(edits)))
    print(row(f"until search finds the edit ({args.shown} edits)", percentiles(shown)))
    print(
        row(
            f"a document written back unchanged, per profile ({args.round_trips})",
            percentiles(trips),
        )
    )
    print(f"round trips: {args.round_trips} documents, 0 versions, 0 revisions, 0 links changed "
          f"({linked} links)")  # fmt: skip
    print("resident memory:", ", ".join(memory))
    shutil.rmtree(copy)
    sys.exit(0)


if __name__ == "__main__":
    main()
