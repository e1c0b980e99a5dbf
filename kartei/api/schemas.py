from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class AddressSchema(Schema):
    label: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    is_default: bool = False


class CustomerIn(Schema):
    """Fields of a customer; on PATCH only those sent change. `version` (from a GET) refuses the change
    with 409 if someone saved in between."""

    kind: str | None = None
    name: str | None = None
    vat_id: str | None = None
    contact_person: str | None = None
    email: str | None = None
    phone: str | None = None
    addresses: list[AddressSchema] | None = Field(None, max_length=100)
    status: str | None = None
    temperature: str | None = None
    discount_percent: Decimal | None = None
    preferred_currency: str | None = None
    preferred_language: str | None = None
    marketing_consent: bool | None = None
    system_notifications: bool | None = None
    is_active: bool | None = None
    tags: list[str] | None = Field(None, max_length=100)
    note: str | None = None
    version: int | None = None


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    vat_id: str
    contact_person: str
    email: str
    phone: str
    addresses: list[AddressSchema]
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
    version: int

    @staticmethod
    def resolve_addresses(obj):
        return [
            {
                "label": a.label,
                "street": a.street,
                "postal_code": a.postal_code,
                "city": a.city,
                "country": a.country.code or "",
                "is_default": a.is_default,
            }
            for a in obj.addresses.all()
        ]

    @staticmethod
    def resolve_discount_percent(obj):
        return None if obj.discount_percent is None else str(obj.discount_percent)

    @staticmethod
    def resolve_tags(obj):
        return [t.name for t in sorted(obj.tags.all(), key=lambda t: t.name.lower())]

    @staticmethod
    def resolve_picture(obj):
        return obj.picture.url if obj.picture else None


class CustomerList(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class NoteIn(Schema):
    text: str
    priority: str = "none"


class NotePatch(Schema):
    text: str | None = None
    priority: str | None = None


class NoteOut(Schema):
    id: int
    customer: int = Field(..., alias="customer_id")
    text: str
    priority: str
    author: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.get_username() if obj.author else None


class TagOut(Schema):
    id: int
    name: str
    colour: str


class ErrorOut(Schema):
    detail: str
