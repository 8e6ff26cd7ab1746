from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterhub.events"
    label = "events"
    verbose_name = "Matchmaking events"

    def ready(self):
        from clusterhub.core.background import register_periodic

        register_periodic("expire meeting requests", "clusterhub.events.services.expire_due", 15)
