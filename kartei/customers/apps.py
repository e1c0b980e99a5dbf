from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kartei.customers"
    label = "customers"
