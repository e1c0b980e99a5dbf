from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/<int:customer>/", views.order_for_customer, name="create"),
    path("products/", views.product_options, name="product_options"),
    path("coupons/", views.coupons, name="coupons"),
    path("coupons/customers/", views.coupon_customer_options, name="coupon_customer_options"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/status/", views.order_transition, name="transition"),
]
