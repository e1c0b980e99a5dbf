"""Forms read what the browser sends into plain values; the rules themselves live in validation.py and run
in the services, so the UI and the API give the same answers."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from .models import Kind, Language, Priority, Status, Temperature

ADDRESS_LABELS = (
    pgettext_lazy("address label", "Home"),
    pgettext_lazy("address label", "Work"),
    pgettext_lazy("address label", "Billing"),
    pgettext_lazy("address label", "Shipping"),
)


def tag_names_in(data) -> list[str]:
    """Tags picked as chips (one `tags` value each) plus any typed, comma-separated, in `tags_new`."""
    picked = data.getlist("tags") if hasattr(data, "getlist") else []
    typed = (data.get("tags_new") or "").split(",")
    return [t.strip() for t in [*picked, *typed] if t.strip()]


class PercentField(forms.DecimalField):
    """A percentage shown without trailing zeros, as the customer page shows it: 12.50 stored, "12,5" typed."""

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            value = value.quantize(1) if value == value.to_integral_value() else value.normalize()
        return super().prepare_value(value)


class CustomerQuickForm(forms.Form):
    """The fields of the quick-add dialog."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.COMPANY, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), required=False, max_length=10_000)
    email = forms.CharField(label=_("Email"), required=False, max_length=10_000)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=10_000)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.POTENTIAL)
    temperature = forms.ChoiceField(label=_("Temperature"), choices=[("", "—"), *Temperature.choices], required=False)
    note = forms.CharField(label=_("First note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The first thing typed is the name: the dialog (and the page) opens there.
        self.fields["name"].widget.attrs.update(required=True, autocomplete="off", maxlength=200, autofocus=True)
        self.fields["email"].widget = forms.EmailInput(attrs={"autocomplete": "off"})
        self.fields["phone"].widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})

    def tag_names(self) -> list[str]:
        return tag_names_in(self.data)

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
        data["tags"] = self.tag_names()
        return data


class CustomerForm(CustomerQuickForm):
    """Every field of a customer, for the create and edit pages."""

    vat_id = forms.CharField(label=_("VAT ID"), required=False, max_length=10_000)
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=10_000)
    discount_percent = PercentField(label=_("Discount %"), required=False, localize=True, max_digits=30)
    preferred_currency = forms.CharField(label=_("Preferred currency"), required=False, max_length=10_000)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("", "—"), *Language.choices], required=False
    )
    marketing_consent = forms.BooleanField(label=_("Agrees to marketing emails"), required=False)
    system_notifications = forms.BooleanField(label=_("Receives system notifications"), required=False, initial=True)
    picture = forms.FileField(label=_("Picture"), required=False)
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = [
        "kind", "name", "contact_person", "vat_id", "email", "phone", "status", "temperature",
        "discount_percent", "preferred_currency", "preferred_language", "marketing_consent",
        "system_notifications", "picture", "remove_picture", "note",
    ]  # fmt: skip

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discount_percent"].widget.attrs.update(inputmode="decimal", placeholder="0")
        self.fields["preferred_currency"].widget.attrs.update(
            list="currency-options", maxlength=3, autocomplete="off", **{"class": "text-uppercase"}
        )
        self.fields["picture"].widget.attrs.update(accept="image/jpeg,image/png,image/webp,image/gif")
        self.fields["discount_percent"].error_messages["invalid"] = _("Enter the discount as a number, such as 12.5.")
        self.fields["discount_percent"].error_messages["max_digits"] = _("The discount must be between 0 and 100 %.")
        self.editing = editing
        if editing:
            del self.fields["note"]

    def clean(self):
        # The version the page was drawn with: without it, a save would silently overwrite a colleague's.
        if self.editing and self.cleaned_data.get("version") is None:
            raise forms.ValidationError(
                _("This page is out of date. Reload it and make your changes again."), code="stale_form"
            )
        return super().clean()

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("version", None)
        if not data.get("picture"):
            data.pop("picture", None)
        return data


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), required=False, max_length=10_000)
    street = forms.CharField(label=_("Street and number"), required=False, max_length=10_000)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=10_000)
    city = forms.CharField(label=_("City"), required=False, max_length=10_000)
    country = forms.ChoiceField(label=_("Country"), required=False)
    is_default = forms.BooleanField(label=_("Default"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["label"].widget.attrs.update(list="address-labels")


AddressFormSet = forms.formset_factory(AddressForm, extra=0, can_delete=True, max_num=20, absolute_max=50)


def addresses_from(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NONE)
    # The files attached (request.FILES, checked by the service): a field so that their errors have a place.
    files = forms.Field(required=False, widget=forms.HiddenInput)
