from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "clusterhub.news"
    label = "news"
    verbose_name = "News and events from clusters"

    def ready(self):
        from clusterhub.profiles.page import register_activity

        from .panels import organisation_news

        register_activity("news", organisation_news)
