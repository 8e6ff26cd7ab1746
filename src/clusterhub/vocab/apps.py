from django.apps import AppConfig


class VocabConfig(AppConfig):
    name = "clusterhub.vocab"
    verbose_name = "Vocabularies"
