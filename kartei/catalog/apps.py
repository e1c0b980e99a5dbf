from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kartei.catalog"
    label = "catalog"
