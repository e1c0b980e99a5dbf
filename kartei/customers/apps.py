from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class CustomersConfig(AppConfig):
    name = "kartei.customers"
    label = "customers"

    def ready(self):
        from .events import register_event_types
        from .search import installer

        register_event_types()
        # The search index is put in place around every migrate (see search/installer.py).
        pre_migrate.connect(installer.before_migrate, sender=self, dispatch_uid="kartei.search.before_migrate")
        post_migrate.connect(installer.after_migrate, sender=self, dispatch_uid="kartei.search.after_migrate")
