from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "clusterhub.matching"
    verbose_name = "Partner finder"
