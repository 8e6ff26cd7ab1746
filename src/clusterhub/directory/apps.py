from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clusterhub.directory"
    verbose_name = "Directory"

    def ready(self):
        from clusterhub.profiles.writing import STEPS

        from .indexing import directory_changed, write_search_documents

        STEPS.register(search_documents=write_search_documents, directory_changed=directory_changed)
