"""Vocabularies as data: the files in `data/`, loaded into `Term` rows."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Vocabulary:
    name: str
    description: str
    closed: bool
    labels: tuple[str, ...]


def read_vocabulary(path: Path) -> Vocabulary:
    """A vocabulary file: `# header` lines describing it, then one label a line."""
    header, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line.lstrip("# ").strip())
        elif line.strip():
            labels.append(line.strip())
    description = " ".join(header)
    return Vocabulary(
        name=path.stem,
        description=description,
        closed="closed list" in description.lower(),
        labels=tuple(labels),
    )


@cache
def vocabularies() -> dict[str, Vocabulary]:
    return {p.stem: read_vocabulary(p) for p in sorted(DATA_DIR.glob("*.txt"))}


def term_slug(label: str) -> str:
    return slugify(label)[:300] or "term"


def load_vocabularies(term_model=None) -> int:
    """Create or mark reviewed every shipped term; returns how many were created.

    `term_model` lets the data migration pass its historical model.
    """
    if term_model is None:
        from .models import Term as term_model
    created = 0
    for vocab in vocabularies().values():
        existing = {t.label: t for t in term_model.objects.filter(vocabulary=vocab.name)}
        for order, label in enumerate(vocab.labels):
            term = existing.get(label)
            if term is None:
                term_model.objects.create(
                    vocabulary=vocab.name,
                    label=label,
                    slug=term_slug(label),
                    reviewed=True,
                    order=order,
                )
                created += 1
            elif not term.reviewed or term.order != order:
                term.reviewed, term.order = True, order
                term.save(update_fields=["reviewed", "order"])
    return created


class TermResolver:
    """Label → Term for one write; unknown labels become unreviewed terms.

    Lives for one transaction so that a rolled-back import leaves no stale cache.
    """

    def __init__(self, using: str = "default"):
        from .models import Term

        self.terms = Term.objects.using(using)
        self.cache: dict[tuple[str, str], int] = {}
        self.warmed: set[str] = set()

    def id_for(self, vocabulary: str, label: str) -> int:
        if vocabulary not in self.warmed:
            for term in self.terms.filter(vocabulary=vocabulary):
                self.cache[(vocabulary, term.label.casefold())] = term.pk
            self.warmed.add(vocabulary)
        key = (vocabulary, label.casefold())
        if key not in self.cache:
            slug = base = term_slug(label)
            n = 1
            while self.terms.filter(vocabulary=vocabulary, slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            term = self.terms.create(
                vocabulary=vocabulary, label=label, slug=slug, reviewed=False, order=10_000
            )
            self.cache[key] = term.pk
        return self.cache[key]


def terms_named(labels_by_vocabulary: dict[str, list[str]]):
    """The reviewed terms with these labels (any case), per vocabulary key; Invalid
    naming the first unknown label (`key[position]`)."""
    from django.utils.translation import gettext as _

    from clusterhub.core.errors import Invalid

    from .models import Term

    found = []
    for key, labels in labels_by_vocabulary.items():
        if not labels:
            continue
        terms = {t.label.casefold(): t for t in Term.objects.filter(vocabulary=key, reviewed=True)}
        for position, label in enumerate(labels):
            term = terms.get(label.strip().casefold())
            if term is None:
                raise Invalid(
                    _("%(label)r is not in the vocabulary") % {"label": label}, f"{key}[{position}]"
                )
            found.append(term)
    return found


def term_choices(vocabulary: str) -> list[tuple[str, str]]:
    """(label, label in the reader's language) of a vocabulary's reviewed terms, in the
    reader's alphabet: the choices of a form's field."""
    from clusterhub.core.alphabet import in_reader_order

    from .models import Term
    from .translations import term_label

    labels = Term.objects.filter(vocabulary=vocabulary, reviewed=True).values_list(
        "label", flat=True
    )
    return in_reader_order(((label, term_label(label)) for label in labels), key=lambda c: c[1])
