from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "clusterhub.network"
    verbose_name = "Collaboration network"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
