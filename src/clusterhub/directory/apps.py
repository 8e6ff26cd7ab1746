from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clusterhub.directory"
    verbose_name = "Directory"

    def ready(self):
        from . import indexing  # noqa: F401  (connects the signal receivers)
