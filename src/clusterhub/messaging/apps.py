from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "clusterhub.messaging"
    label = "messaging"
    verbose_name = "Messages between users and clusters"

    def ready(self):
        from clusterhub.accounts.privacy import register_personal_data

        from .services import personal_data

        register_personal_data(personal_data)
