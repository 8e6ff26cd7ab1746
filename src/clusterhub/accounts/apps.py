from django.apps import AppConfig
from django.db.models.signals import post_migrate

MODERATORS = "Moderators"


def ensure_moderators_group(sender, using="default", **kwargs):
    """A `Moderators` group holding the moderation permission: adding a user to it (in
    the admin) makes them a moderator. Permissions exist only after migrating."""
    from django.contrib.auth.models import Group, Permission

    permission = (
        Permission.objects.using(using)
        .filter(codename="moderate_profiles", content_type__app_label="accounts")
        .first()
    )
    if permission is not None:
        group, _ = Group.objects.using(using).get_or_create(name=MODERATORS)
        group.permissions.add(permission)


class AccountsConfig(AppConfig):
    name = "clusterhub.accounts"
    label = "accounts"
    verbose_name = "Accounts and moderation"

    def ready(self):
        from clusterhub.profiles.writing import STEPS

        from .revisions import record_revisions

        STEPS.register(record_revisions=record_revisions)
        post_migrate.connect(ensure_moderators_group, sender=self)
