from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("compare/", views.compare_page, name="compare"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("<slug:slug>/shortlist/", views.shortlist_save, name="shortlist_save"),
    path("<slug:slug>/shortlist/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("<slug:slug>/partners/", views.partner_page, name="partners"),
]
