from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class CustomersConfig(AppConfig):
    name = "kartei.customers"
    label = "customers"

    def ready(self):
        import phonenumbers

        from .events import register_event_types
        from .search import installer

        register_event_types()
        # Phone numbers are checked against the patterns of their country: keep each pattern compiled once rather
        # than looked up in the re module's cache for every number (a tenth of checking one, callgrind).
        phonenumbers.enable_pattern_cache()
        # The search index is put in place around every migrate (see search/installer.py).
        pre_migrate.connect(installer.before_migrate, sender=self, dispatch_uid="kartei.search.before_migrate")
        post_migrate.connect(installer.after_migrate, sender=self, dispatch_uid="kartei.search.after_migrate")
