from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("count/", views.customer_count, name="count"),
    path("home/", views.home_panel, name="home"),
    path("new/", views.customer_create, name="create"),
    path("trash/", views.trash, name="trash"),
    path("tags/", views.tag_options, name="tag_options"),
    path("tags/unused/delete/", views.tags_unused_delete, name="tags_unused_delete"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/active/", views.customer_set_active, name="set_active"),
    path("<int:pk>/delete/", views.customer_delete, name="delete"),
    path("<int:pk>/restore/", views.customer_restore, name="restore"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<int:pk>/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("<int:pk>/notes/", views.note_create, name="note_create"),
    path("<int:pk>/notes/<int:note_id>/", views.note_shown, name="note"),
    path("<int:pk>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
]
