from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_create, name="create"),
    path("<int:pk>/edit/", views.staff_edit, name="edit"),
    path("<int:pk>/active/", views.staff_set_active, name="set_active"),
    path("<int:pk>/invitation/", views.staff_invite, name="invite"),
]
