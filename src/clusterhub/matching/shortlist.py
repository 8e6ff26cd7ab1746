"""A user's shortlist of possible partners: saved from the partner finder's cards or a
profile, listed on one page, compared side by side. Only clusters the user may see can
be saved (a 404 for the others, as everywhere)."""

from clusterhub.accounts.permissions import may_view, signed_in, viewable

from .models import ShortlistEntry


def save(user, slug: str, saved_for: str = "") -> ShortlistEntry:
    """Keep `slug` on the user's shortlist (once, however many clients ask at once);
    `saved_for`: the user's cluster the partner finder proposed it to."""
    signed_in(user)
    organisation = viewable(user, slug)
    proposed_to = viewable(user, saved_for) if saved_for else None
    entry, _created = ShortlistEntry.objects.get_or_create(
        user=user, organisation=organisation, defaults={"saved_for": proposed_to}
    )
    return entry


def remove(user, slug: str) -> None:
    signed_in(user)
    ShortlistEntry.objects.filter(user=user, organisation__slug=slug).delete()


def entries(user) -> list[ShortlistEntry]:
    """The user's shortlist, newest first: the clusters the user may still see (one
    withdrawn since is left out, not named)."""
    if not (user and user.is_authenticated):
        return []
    found = (
        ShortlistEntry.objects.filter(user=user)
        .select_related("organisation", "saved_for")
        .order_by("-created_at", "-pk")
    )
    return [e for e in found if may_view(user, e.organisation)]


def saved_slugs(user) -> set[str]:
    """The slugs on the user's shortlist: one query for a page of cards."""
    if not (user and user.is_authenticated):
        return set()
    return set(
        ShortlistEntry.objects.filter(user=user).values_list("organisation__slug", flat=True)
    )
