from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = "Accounts"
