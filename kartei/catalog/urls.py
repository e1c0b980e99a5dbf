from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("prices/", views.price_change, name="price_change"),
    path("prices/<int:pk>/undo/", views.price_change_undo, name="price_change_undo"),
    path("rates/", views.exchange_rates, name="rates"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/active/", views.product_set_active, name="set_active"),
]
