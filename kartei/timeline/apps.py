from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "kartei.timeline"
    label = "timeline"

    def ready(self):
        from . import attachments  # noqa: F401  (a deleted attachment takes its files along)
        from .events import register_event_types

        register_event_types()
