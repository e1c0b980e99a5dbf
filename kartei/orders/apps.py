from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "kartei.orders"
    label = "orders"

    def ready(self):
        from .events import register_event_types

        register_event_types()
