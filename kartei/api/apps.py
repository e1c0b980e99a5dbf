from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kartei.api"
    label = "api"
