"""The site's addresses and one that fails, for the 500 page's test."""

from django.urls import path

from clusterhub.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", boom), *site]
