from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "clusterhub.calls"
    label = "calls"
    verbose_name = "Funding calls"
