from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "kartei.timeline"
    label = "timeline"
