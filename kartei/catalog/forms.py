"""Forms read what the browser sends into plain values; the rules live in validation.py and run in the services,
so the pages and the API give the same answers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kartei.customers.models import Language

from .models import Unit
from .pricing import base_currency, plain_number

TEXT_MAX = 100_000  # what a field takes at all; the services say what is too long


class ProductForm(forms.Form):
    # Not required here: the services say what is missing, as they say it to the API.
    sku = forms.CharField(label=_("SKU"), max_length=TEXT_MAX, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    base_price = forms.CharField(label=_("Price"), max_length=TEXT_MAX, required=False)
    min_quantity = forms.CharField(label=_("Minimum order quantity"), max_length=TEXT_MAX, initial="1", required=False)
    pack_size = forms.CharField(label=_("Pack size"), max_length=TEXT_MAX, initial="1", required=False)
    image = forms.FileField(label=_("Image"), required=False)
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    def __init__(self, *args, currencies: dict | None = None, **kwargs):
        """`currencies`: those a fixed price can be set in (the exchange rates' and the product's own) → their
        exchange rate (None where there is none)."""
        super().__init__(*args, **kwargs)
        languages = sorted(Language.choices, key=lambda c: c[0] != settings.KARTEI_CATALOG_LANGUAGE)
        for code, language in languages:
            self.fields[f"name_{code}"] = forms.CharField(label=_("Name"), max_length=TEXT_MAX, required=False)
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"name_{code}"].language = self.fields[f"description_{code}"].language = language
        self.currencies = dict(currencies or {})
        self.price_errors = []  # what the service said about the fixed prices, shown beside them
        for currency in self.currencies:
            self.fields[f"price_{currency}"] = forms.CharField(label=currency, max_length=TEXT_MAX, required=False)
        self.fields["price_new_currency"] = forms.CharField(label=_("Currency"), max_length=TEXT_MAX, required=False)
        self.fields["price_new"] = forms.CharField(label=_("Price"), max_length=TEXT_MAX, required=False)
        self.fields["sku"].widget.attrs.update(autocomplete="off", maxlength=64, autofocus=True, spellcheck="false")
        self.fields["base_price"].widget.attrs.update(inputmode="decimal", autocomplete="off")
        for name in ("min_quantity", "pack_size"):
            self.fields[name].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["price_new_currency"].widget.attrs.update(maxlength=3, autocomplete="off", placeholder="USD")
        self.fields["image"].widget.attrs.update(accept="image/jpeg,image/png,image/webp,image/gif")
        self.base_currency = base_currency()

    @classmethod
    def initial_of(cls, product) -> dict:
        initial = {name: getattr(product, name) for name in ("sku", "unit", "min_quantity", "pack_size")}
        for code in Language.values:
            initial[f"name_{code}"] = getattr(product, f"name_{code}")
            initial[f"description_{code}"] = getattr(product, f"description_{code}")
        initial["base_price"] = plain_number(product.base_price)
        initial.update({f"price_{p.currency}": plain_number(p.price) for p in product.prices.all()})
        return initial

    def language_fields(self) -> list[tuple]:
        """(language, name field, description field), the catalog's language first."""
        codes = [name.removeprefix("name_") for name in self.fields if name.startswith("name_")]
        return [(self.fields[f"name_{c}"].language, self[f"name_{c}"], self[f"description_{c}"], c) for c in codes]

    def price_fields(self) -> list[tuple]:
        """(field, exchange rate or None) of each currency a fixed price can be set in."""
        return [(self[f"price_{currency}"], rate) for currency, rate in self.currencies.items()]

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith("price_")}
        data.pop("image", None)
        if self.cleaned_data.get("image"):
            data["image"] = self.cleaned_data["image"]
        prices = {currency: self.cleaned_data.get(f"price_{currency}", "") for currency in self.currencies}
        prices = {currency: price for currency, price in prices.items() if price.strip()}
        new = self.cleaned_data.get("price_new_currency", "").strip().upper()
        if new or self.cleaned_data.get("price_new", "").strip():
            prices[new] = self.cleaned_data.get("price_new", "")
        data["prices"] = prices
        return data


class PriceChangeForm(forms.Form):
    percent = forms.CharField(label=_("Change by (%)"), max_length=TEXT_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].widget.attrs.update(inputmode="decimal", autocomplete="off", autofocus=True,
                                                   placeholder="5")  # fmt: skip
