"""Every existing user gets a staff profile: superusers become owners; if that leaves no active owner, the
oldest active user becomes one ("the first user is an owner")."""

from django.conf import settings
from django.db import migrations


def create_profiles(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    StaffProfile = apps.get_model("accounts", "StaffProfile")
    have = set(StaffProfile.objects.values_list("user_id", flat=True))
    StaffProfile.objects.bulk_create(
        StaffProfile(user_id=pk, role="owner" if is_superuser else "staff")
        for pk, is_superuser in User.objects.values_list("pk", "is_superuser")
        if pk not in have
    )
    if not StaffProfile.objects.filter(role="owner", user__is_active=True).exists():
        first = User.objects.filter(is_active=True).order_by("date_joined", "pk").first()
        if first is not None:
            StaffProfile.objects.filter(user_id=first.pk).update(role="owner")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_staff_profile_and_token_expiry")]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
