from django.urls import path

from . import feeds, views

app_name = "alerts"

urlpatterns = [
    path("accounts/alerts/", views.home, name="home"),
    path("accounts/alerts/save/", views.save, name="save"),
    path("accounts/alerts/<int:pk>/", views.change, name="change"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/feed/<str:token>/", feeds.SavedSearchFeed(), name="search_feed"),
    path("clusters/feed/", feeds.ClustersFeed(), name="clusters_feed"),
    path("opportunities/feed/", feeds.OpportunitiesFeed(), name="opportunities_feed"),
    path("calls/feed/", feeds.CallsFeed(), name="calls_feed"),
    path("clusters/<slug:slug>/follow/", views.follow_profile, name="follow_profile"),
]
