from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("<str:token>/", views.catalog, name="catalog"),
    path("<str:token>/cart/", views.cart_set, name="cart_set"),
    path("<str:token>/paste/", views.cart_paste, name="cart_paste"),
    path("<str:token>/again/<int:pk>/", views.order_again, name="order_again"),
    path("<str:token>/order/", views.submit, name="submit"),
    path("<str:token>/orders/<int:pk>/", views.confirmation, name="confirmation"),
    path("<str:token>/language/", views.language, name="language"),
]
