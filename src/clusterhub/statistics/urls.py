from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.home, name="home"),
    path("statistics/", views.statistics_page, name="page"),
    path("map/", views.map_page, name="map"),
]
