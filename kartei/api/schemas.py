"""What the API reads and writes. Input schemas are strict: a body must be a JSON object, unknown fields are
refused (a typo must not be dropped silently), booleans may not be null, and text may not hold a NUL byte or a
lone surrogate (neither can be stored). Everything else is checked by kartei.customers.validation, shared with
the UI, so the rules live in one place."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from kartei.catalog.pricing import base_currency, rounded
from kartei.customers.models import Kind, Language, Priority, Status, Temperature


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("null_character", _("Remove the NUL character (\\u0000) from this text."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "invalid_character", _("This text holds a lone surrogate (\\ud800–\\udfff), which is not a character.")
        ) from None
    return value


# A string that can be stored: no NUL byte, no lone surrogate.
Text = Annotated[str, AfterValidator(_storable_text)]


class In(BaseModel):
    """Base of request bodies: a JSON object, nothing but the fields named."""

    model_config = ConfigDict(extra="forbid")


class AddressIn(In):
    label: Text = ""
    street: Text = ""
    postal_code: Text = ""
    city: Text = ""
    country: Text = ""
    is_default: bool = False


class AddressOut(BaseModel):
    label: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    is_default: bool = False


def choice(values, description: str, default=None):
    """A string field whose schema lists its values. The service checks them (with the UI's messages); the enum
    is for the docs, clients and the fuzzer."""
    return Field(default, description=description, json_schema_extra={"enum": list(values)})


class CustomerFields(In):
    kind: Text = choice(Kind.values, "company or person")  # type: ignore[assignment]
    name: Text = None  # type: ignore[assignment]
    vat_id: Text | None = Field(None, description="Checked with its country's check digits; DE…, PL… or national")
    contact_person: Text | None = None
    email: Text | None = Field(None, description="Unique among customers not in the trash (case-insensitive).")
    phone: Text | None = Field(None, description="Stored in E.164; national numbers are read in the address's country.")
    addresses: list[AddressIn] | None = Field(None, max_length=100, description="All of them; replaces the old ones.")
    status: Text = choice(Status.values, "current or potential")  # type: ignore[assignment]
    temperature: Text = choice(["", *Temperature.values], "hot, warm, cold, not_interested or empty")  # type: ignore[assignment]
    discount_percent: Decimal | None = Field(None, description="0 to 100, at most two decimal places; null for none")
    preferred_currency: Text | None = Field(None, description="ISO 4217, such as EUR")
    preferred_language: Text = choice(["", *Language.values], "de, pl, en or empty")  # type: ignore[assignment]
    # Choices, the name and booleans may be left out but not sent as null (a null bool would silently mean false).
    marketing_consent: bool = None  # type: ignore[assignment]
    system_notifications: bool = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]
    tags: list[Text] | None = Field(None, max_length=100, description="All tag names; unknown names create tags.")


class CustomerCreate(CustomerFields):
    """A new customer. `note`, if given, becomes the customer's first note."""

    name: Text
    note: Text | None = None


class CustomerPatch(CustomerFields):
    """Only the fields sent change. `version` (from a GET) refuses the change with 409 if someone saved in between."""

    version: int | None = None


class CustomerOut(BaseModel):
    """A customer as the API shows it. Built from a dict (customer_out), not read attribute by attribute from the
    model: a page of 100 customers is serialised in a few milliseconds instead of tens."""

    id: int
    kind: str
    name: str
    vat_id: str
    contact_person: str
    email: str
    phone: str
    addresses: list[AddressOut]
    status: str
    temperature: str
    discount_percent: str | None
    preferred_currency: str
    preferred_language: str
    marketing_consent: bool
    marketing_consent_at: datetime | None
    system_notifications: bool
    tags: list[str]
    picture: str | None
    is_active: bool
    source: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = Field(description="When it was moved to the trash; null for a customer in the file")
    version: int
    last_order_at: datetime | None = Field(description="When they last ordered; null if they never did")
    orders_total: str = Field(description="What their orders not cancelled came to, in the base currency")


# The fields shown as the model holds them; customer_out fills in the others.
CUSTOMER_FIELDS = [
    f for f in CustomerOut.model_fields if f not in ("addresses", "discount_percent", "tags", "picture", "orders_total")
]


def customer_out(customer) -> dict:
    """CustomerOut of a customer read with its addresses and tags (queries.with_addresses_and_tags)."""
    out = {field: getattr(customer, field) for field in CUSTOMER_FIELDS}
    out["addresses"] = [
        {"label": a.label, "street": a.street, "postal_code": a.postal_code, "city": a.city,
         "country": a.country.code or "", "is_default": a.is_default}
        for a in customer.address_list
    ]  # fmt: skip
    out["discount_percent"] = None if customer.discount_percent is None else str(customer.discount_percent)
    out["orders_total"] = str(rounded(customer.orders_total, base_currency()))
    out["tags"] = [t.name for t in customer.tag_list]
    out["picture"] = customer.picture.url if customer.picture else None
    return out


class CustomerList(BaseModel):
    items: list[CustomerOut]
    next_cursor: str | None


class NoteIn(In):
    text: Text
    priority: Text = choice(Priority.values, "high, medium or none", default=Priority.NONE)


class NotePatch(In):
    text: Text = None  # type: ignore[assignment]
    priority: Text = choice(Priority.values, "high, medium or none")  # type: ignore[assignment]


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="The file's name as it was uploaded")
    content_type: str = Field(description="What the content is: image/…, application/pdf, else "
                                          "application/octet-stream")  # fmt: skip
    size: int = Field(description="In bytes")
    created_at: datetime
    url: str = Field(description="Where the API serves the file (with the same token)")

    @staticmethod
    def resolve_url(obj):
        return f"/api/v1/attachments/{obj.pk}"


class NoteOut(Schema):
    id: int
    customer: int = Field(..., alias="customer_id")
    text: str
    priority: str
    author: str | None
    attachments: list[AttachmentOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_author(obj):
        return obj.author.get_username() if obj.author else None


class TagOut(Schema):
    id: int
    name: str
    colour: str


class TagList(Schema):
    items: list[TagOut]
    next_cursor: str | None


class Removed(Schema):
    removed: int


class FieldError(Schema):
    field: str | None = Field(
        ..., description="The field, dotted for nested ones (addresses.0.country); null for the body"
    )
    message: str
    code: str
    customer: int | None = Field(None, description="With code duplicate_email: the customer who has that address")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]
