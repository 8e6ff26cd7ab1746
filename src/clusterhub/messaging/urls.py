from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("clusters/<slug:slug>/contact/", views.contact, name="contact"),
    path("accounts/messages/", views.inbox, name="inbox"),
    path("accounts/messages/delete/", views.delete_mine, name="delete_mine"),
    path("accounts/messages/reports/", views.reports, name="reports"),
    path("accounts/messages/reports/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("accounts/messages/<int:pk>/", views.thread, name="thread"),
    path("accounts/messages/<int:pk>/unread/", views.mark_unread, name="mark_unread"),
    path("accounts/messages/<int:pk>/report/", views.report, name="report"),
]
