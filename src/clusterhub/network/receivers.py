"""Keeps collaborations resolved as profiles are saved, published or deleted."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clusterhub.profiles.models import ClusterOrganisation, CollaboratingCluster, MatchStatus
from clusterhub.profiles.signals import profiles_saved, profiles_saving

from .resolution import is_deferred, resolve_documents, resolve_towards


@receiver(profiles_saving)
def resolve_new_entries(sender, documents, using, **kwargs):
    if not is_deferred():
        resolve_documents(documents, using)


@receiver(profiles_saved)
def resolve_entries_naming_saved_profiles(sender, organisations, using, **kwargs):
    if not is_deferred():
        resolve_towards(organisations, using)


@receiver(post_save, sender=ClusterOrganisation)
def resolve_entries_naming_published_profile(sender, instance, using, raw=False, **kwargs):
    # A profile becomes public by a status change (moderation, admin): entries
    # naming it can now link to it.
    if not raw and not is_deferred() and instance.is_public:
        resolve_towards([instance], using)


@receiver(post_delete, sender=ClusterOrganisation)
def reopen_entries_naming_deleted_profile(sender, instance, using, **kwargs):
    # SET_NULL emptied their link or candidate; they are to be resolved again.
    CollaboratingCluster.objects.using(using).filter(
        profile=None,
        match_status__in=(MatchStatus.LINKED, MatchStatus.CONFIRMED, MatchStatus.PENDING),
        candidate=None,
    ).update(match_status="", match_confidence=None)
