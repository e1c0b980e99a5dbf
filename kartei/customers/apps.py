from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kartei.customers"
    label = "customers"

    def ready(self):
        from .events import register_event_types

        register_event_types()
