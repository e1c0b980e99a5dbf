from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kartei.portal"
    label = "portal"

    def ready(self):
        from .events import register_event_types

        register_event_types()
