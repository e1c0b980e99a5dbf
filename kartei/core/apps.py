from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _cache_table(sender, using="default", **kwargs) -> None:
    """The database cache's table comes with `migrate`: any command after it (demo data, an import) may use the
    cache, not only the server."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "kartei.core"
    label = "core"

    def ready(self):
        post_migrate.connect(_cache_table, sender=self, dispatch_uid="kartei.core.cache_table")
