from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:message_id>/review/", views.reply_review, name="reply_review"),
    path("customers/<int:pk>/messages/", views.conversation, name="conversation"),
    path("customers/<int:pk>/messages/card/", views.card, name="card"),
    path("customers/<int:pk>/messages/new/", views.message_new, name="new"),
    path("customers/<int:pk>/messages/<int:message_id>/retry/", views.message_retry, name="retry"),
    path("customers/<int:pk>/messages/stop-reply-links/", views.reply_links_stop, name="stop_reply_links"),
]
