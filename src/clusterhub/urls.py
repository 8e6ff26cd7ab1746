from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("clusterhub.statistics.urls")),
    path("", include("clusterhub.alerts.urls")),
    path("clusters/", include("clusterhub.directory.urls")),
    path("clusters/", include("clusterhub.matching.urls")),  # before a profile's <slug>/
    path("clusters/", include("clusterhub.profiles.urls")),
    path("", include("clusterhub.network.urls")),
    path("api/", include("clusterhub.api.urls")),
    path("", include("clusterhub.messaging.urls")),
    path("", include("clusterhub.opportunities.urls")),
    path("", include("clusterhub.calls.urls")),
    path("", include("clusterhub.news.urls")),
    path("", include("clusterhub.events.urls")),
    path("accounts/", include("clusterhub.accounts.urls")),
    path("admin/", admin.site.urls),
]
