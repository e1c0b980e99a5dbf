from django.urls import path

from . import views

urlpatterns = [
    path("", views.mentions, name="mentions"),
    path("read/", views.mentions_read, name="mentions_read"),
    path("options/", views.mention_options, name="mention_options"),
    path("<int:pk>/", views.mention_open, name="mention_open"),
]
