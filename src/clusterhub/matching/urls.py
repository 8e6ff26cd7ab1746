from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("compare/", views.compare_page, name="compare"),
    path("<slug:slug>/partners/", views.partner_page, name="partners"),
]
