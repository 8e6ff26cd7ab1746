from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("<slug:slug>/", views.profile_page, name="detail"),
    path("<slug:slug>/print/", views.profile_print, name="print"),
    path("<slug:slug>.json", views.profile_json, name="json"),
    path("<slug:slug>.csv", views.profile_csv, name="csv"),
]
