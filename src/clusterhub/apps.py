from django.apps import AppConfig


class ClusterhubConfig(AppConfig):
    """The project package itself: base templates, static files, `serve`."""

    name = "clusterhub"
    verbose_name = "Clusterhub"
