from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "clusterhub.network"
    verbose_name = "Collaboration network"

    def ready(self):
        from clusterhub.profiles.page import register_panel
        from clusterhub.profiles.writing import STEPS

        from .panels import collaborations
        from .resolution import resolve_collaborations, unlink

        STEPS.register(resolve_collaborations=resolve_collaborations, unlink=unlink)
        register_panel("collaborating_clusters", collaborations)
