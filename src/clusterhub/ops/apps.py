from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "clusterhub.ops"
    label = "ops"
    verbose_name = "Operations: backups, health, metrics"
