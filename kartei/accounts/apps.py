from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


def _profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    """Every user has a staff profile, also those made outside kartei.accounts.services: `kartei
    createsuperuser` (an owner), Django's create_user. It is a data invariant like a default, so it lives here
    rather than in each service that creates a user."""
    if created and not raw:
        from .services import profile_for_new_user

        profile_for_new_user(instance)


class AccountsConfig(AppConfig):
    name = "kartei.accounts"
    label = "accounts"

    def ready(self):
        post_save.connect(_profile_for_new_user, sender=settings.AUTH_USER_MODEL, dispatch_uid="kartei-staff-profile")
