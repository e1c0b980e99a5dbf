"""Forms read what the browser sends into plain values; the rules live in validation.py and run in the
services, so the pages and the API give the same answers."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import services
from .models import Role, UiLanguage

LANGUAGE_CHOICES = [("", _("The browser's language")), *UiLanguage.choices]


class StaffForm(forms.Form):
    """A colleague's details, for the new and edit pages."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=10_000)
    username = forms.CharField(label=_("Username"), required=False, max_length=10_000)
    email = forms.CharField(label=_("Email"), required=False, max_length=10_000)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(required=True, maxlength=150, autocomplete="off")
        self.fields["username"].widget.attrs.update(
            required=True, maxlength=150, autocomplete="off", autocapitalize="none", spellcheck="false"
        )
        self.fields["email"].widget = forms.EmailInput(attrs={"autocomplete": "off", "maxlength": 254})

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "username", "email", "role", "language")}


class StaffCreateForm(StaffForm):
    """A new colleague: the details, and how they get their first password."""

    INVITE, PASSWORD = "invite", "password"
    access = forms.ChoiceField(
        label=_("First password"),
        choices=[
            (INVITE, _("Send an invitation by email: they choose their password")),
            (PASSWORD, _("Set a first password now and tell them")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password"), required=False, strip=False, max_length=10_000, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=_("The password again"), required=False, strip=False, max_length=10_000, widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password", "password2"):
            self.fields[name].widget.attrs.update(autocomplete="new-password")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access") == self.PASSWORD:
            if not cleaned.get("password"):
                self.add_error("password", _("Enter a first password, or send an invitation instead."))
            elif cleaned.get("password") != cleaned.get("password2"):
                self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        return cleaned

    def service_data(self) -> dict:
        data = super().service_data()
        if self.cleaned_data["access"] == self.PASSWORD:
            data["password"] = self.cleaned_data["password"]
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of Kartei's pages"), choices=LANGUAGE_CHOICES, required=False)


class _SavedByService:
    """Django's password forms validate; the password is set by the service, like every other write."""

    user = None
    cleaned_data: dict

    def save(self, commit=True):
        services.staff_set_password(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])
        self.user.refresh_from_db(fields=["password"])
        return self.user


class InvitationPasswordForm(_SavedByService, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_SavedByService, auth_forms.PasswordChangeForm):
    pass
