from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="directory:list", permanent=False)),
    path("clusters/", include("clusterhub.directory.urls")),
    path("clusters/", include("clusterhub.profiles.urls")),
    path("clusters/", include("clusterhub.matching.urls")),
    path("", include("clusterhub.network.urls")),
    path("statistics/", include("clusterhub.statistics.urls")),
    path("api/", include("clusterhub.api.urls")),
    path("accounts/", include("clusterhub.accounts.urls")),
    path("admin/", admin.site.urls),
]
