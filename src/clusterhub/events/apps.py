from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterhub.events"
    label = "events"
    verbose_name = "Matchmaking events"

    def ready(self):
        from clusterhub.core.background import register_periodic
        from clusterhub.profiles.page import register_activity

        from .panels import organisation_events

        register_periodic("expire meeting requests", "clusterhub.events.services.expire_due", 15)
        register_activity("events", organisation_events)
