from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "clusterhub.profiles"
    verbose_name = "Cluster organisation profiles"
