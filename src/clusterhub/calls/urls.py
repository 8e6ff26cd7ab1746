from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/download.<slug:fmt>", views.download, name="export"),
    path("calls/new/", views.new, name="new"),
    path("calls/deadlines.ics", views.deadlines_ics, name="deadlines"),
    path("calls/posters/", views.posters, name="posters"),
    path("calls/<int:pk>/", views.detail, name="detail"),
    path("calls/<int:pk>/edit/", views.edit, name="edit"),
    path("calls/<int:pk>/status/", views.change_status, name="change_status"),
]
