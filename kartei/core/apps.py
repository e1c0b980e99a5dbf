from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kartei.core"
    label = "core"
