from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.directory_list, name="list"),
    path("facets/<str:key>/", views.facet_values, name="facet_values"),
    path("download.<slug:fmt>", views.directory_export, name="export"),
]
