from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "kartei.messaging"
    label = "messaging"

    def ready(self):
        from .events import register_event_types

        register_event_types()
