from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "kartei.transfer"
    label = "transfer"
    verbose_name = "Import and export"
