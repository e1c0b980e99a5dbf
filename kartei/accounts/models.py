import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", pgettext_lazy("role", "Staff")


class UiLanguage(models.TextChoices):
    """The languages Kartei's own pages speak (settings.LANGUAGES); blank means the browser's."""

    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    POLISH = "pl", _("Polish")


class StaffProfile(models.Model):
    """What Kartei adds to Django's user: the role and the UI language. Every user has one (see
    kartei.accounts.services.profile_for_new_user); there is always at least one active owner."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="staff_profile"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    language = models.CharField(max_length=5, choices=UiLanguage.choices, blank=True)
    mention_email = models.BooleanField(_("Email me when a colleague mentions me"), default=True)

    def __str__(self):
        return f"{self.user} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class ApiToken(models.Model):
    """A token for the REST API. Only the SHA-256 of the token is stored; it is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return "kt_" + secrets.token_urlsafe(32)
