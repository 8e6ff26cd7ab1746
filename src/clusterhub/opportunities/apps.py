from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "clusterhub.opportunities"
    label = "opportunities"
    verbose_name = "Partnership opportunities"

    def ready(self):
        from clusterhub.accounts.privacy import register_personal_data
        from clusterhub.core.background import register_periodic
        from clusterhub.profiles.page import register_activity

        from .panels import open_opportunities
        from .services import personal_data

        register_periodic(
            "expire opportunities", "clusterhub.opportunities.services.expire_due", 60
        )
        register_personal_data(personal_data)
        register_activity("opportunities", open_opportunities)
