from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from clusterhub.core.languages import choose_language
from clusterhub.ops.views import health, metrics, ready

# Pages may name their language (`/es/clusters/…`, core/languages.py); the API and the
# admin are one address each.
urlpatterns = [
    path("api/", include("clusterhub.api.urls")),
    path("admin/", admin.site.urls),
    path("language/", choose_language, name="set_language"),  # the language menu posts here
    path("health/", health, name="health"),
    path("ready/", ready, name="ready"),
    path("metrics/", metrics, name="metrics"),
]
urlpatterns += i18n_patterns(
    path("", include("clusterhub.statistics.urls")),
    path("", include("clusterhub.alerts.urls")),
    path("clusters/", include("clusterhub.directory.urls")),
    path("clusters/", include("clusterhub.matching.urls")),  # before a profile's <slug>/
    path("clusters/", include("clusterhub.profiles.urls")),
    path("", include("clusterhub.network.urls")),
    path("", include("clusterhub.messaging.urls")),
    path("", include("clusterhub.opportunities.urls")),
    path("", include("clusterhub.calls.urls")),
    path("", include("clusterhub.news.urls")),
    path("", include("clusterhub.events.urls")),
    path("accounts/", include("clusterhub.accounts.urls")),
    prefix_default_language=False,
)
