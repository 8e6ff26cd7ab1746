from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "clusterhub.statistics"
    label = "cluster_statistics"  # "statistics" is the standard library's module
