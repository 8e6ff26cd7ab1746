from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.opportunity_list, name="list"),
    path("opportunities/download.<slug:fmt>", views.download, name="export"),
    path("opportunities/review/", views.review, name="review"),
    path("opportunities/<int:pk>/", views.detail, name="detail"),
    path("opportunities/<int:pk>/edit/", views.edit, name="edit"),
    path("opportunities/<int:pk>/follow/", views.follow, name="follow"),
    path("opportunities/<int:pk>/interest/", views.interest, name="interest"),
    path("opportunities/<int:pk>/<slug:action>/", views.change_status, name="change_status"),
    path("clusters/<slug:slug>/opportunities/new/", views.new, name="new"),
]
