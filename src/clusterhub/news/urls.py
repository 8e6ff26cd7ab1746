from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/download.<slug:fmt>", views.download, name="export"),
    path("news/review/", views.review, name="review"),
    path("news/feed/", feeds.NewsListFeed(), name="list_feed"),
    path("news/<int:pk>/", views.detail, name="detail"),
    path("news/<int:pk>/edit/", views.edit, name="edit"),
    path("news/<int:pk>/delete/", views.delete, name="delete"),
    path("news/<int:pk>/<slug:action>/", views.decide, name="decide"),
    path("clusters/<slug:slug>/news/new/", views.new, name="new"),
    path("clusters/<slug:slug>/news/feed/", feeds.ProfileNewsFeed(), name="feed"),
]
