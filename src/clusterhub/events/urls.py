from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.new, name="new"),
    path("events/<slug:slug>/", views.detail, name="detail"),
    path("events/<slug:slug>/edit/", views.edit, name="edit"),
    path("events/<slug:slug>/organisers/", views.organisers, name="organisers"),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/participants/", views.catalogue, name="catalogue"),
    path(
        "events/<slug:slug>/participants/download.<slug:fmt>",
        views.catalogue_download,
        name="catalogue_export",
    ),
    path("events/<slug:slug>/participants/<int:pk>/", views.participant, name="participant"),
    path(
        "events/<slug:slug>/participants/<int:pk>/availability/",
        views.availability,
        name="availability",
    ),
    path("events/<slug:slug>/participants/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("events/<slug:slug>/participants/<int:pk>/request/", views.ask, name="ask"),
    path("events/<slug:slug>/participants/<int:pk>/agenda/", views.agenda, name="agenda"),
    path(
        "events/<slug:slug>/participants/<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"
    ),
    path("events/<slug:slug>/calendar/<str:token>.ics", views.agenda_feed, name="agenda_feed"),
    path(
        "events/<slug:slug>/meetings/<int:pk>/<slug:action>/",
        views.meeting_action,
        name="meeting_action",
    ),
    path("events/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("events/<slug:slug>/schedule/meetings/<int:pk>/<slug:action>/", views.place, name="place"),
    path(
        "events/<slug:slug>/schedule/<slug:action>/", views.schedule_action, name="schedule_action"
    ),
    path("events/<slug:slug>/agendas.zip", views.all_agendas, name="all_agendas"),
    path("events/<slug:slug>/agendas/print/", views.print_agendas, name="print_agendas"),
    path("events/<slug:slug>/tables/", views.table_plan, name="table_plan"),
    path("events/<slug:slug>/<slug:action>/", views.change_status, name="change_status"),
]
