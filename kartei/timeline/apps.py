from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "kartei.timeline"
    label = "timeline"

    def ready(self):
        from .events import register_event_types

        register_event_types()
