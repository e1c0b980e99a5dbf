from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kartei.accounts"
    label = "accounts"
