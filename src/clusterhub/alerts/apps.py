from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "clusterhub.alerts"
    label = "alerts"
    verbose_name = "Saved searches, follows and digests"

    def ready(self):
        from clusterhub.accounts.privacy import register_personal_data
        from clusterhub.core.background import register_periodic
        from clusterhub.profiles.page import register_activity

        from .panels import follow_button
        from .services import personal_data

        # Immediate alerts every 10 minutes; the weekly digest is checked hourly and
        # goes to each user a week after their last one.
        register_periodic("immediate alerts", "clusterhub.alerts.services.send_immediate", 10)
        register_periodic("weekly digest", "clusterhub.alerts.services.send_weekly", 60)
        register_personal_data(personal_data)
        register_activity("follow", follow_button)
