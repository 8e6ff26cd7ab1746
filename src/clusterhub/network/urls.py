from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("network/", views.network_page, name="page"),
    path("network.json", views.network_json, name="json"),
    path("network/review/", views.review_matches, name="review"),
    path(
        "clusters/<slug:slug>/collaborations/<int:position>/<str:decision>/",
        views.decide,
        name="decide",
    ),
]
