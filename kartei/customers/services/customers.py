"""Adding, changing, deactivating, deleting and restoring customers."""

from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartei.accounts.queries import is_owner
from kartei.core.errors import ConflictError
from kartei.timeline.services import event_record

from .. import validation as v
from ..models import EMAIL_UNIQUE, Address, Customer, Kind, Priority, Source, Status, Tag, Temperature
from ..pictures import clean_picture
from ..queries import tag_named, unused_tags
from .derived import refresh_derived, tag_names_of
from .notes import note_create

# Fields copied as they are once cleaned; the order is the order errors are reported in.
SCALAR_FIELDS = (
    "kind", "name", "vat_id", "contact_person", "email", "phone", "status", "temperature",
    "discount_percent", "preferred_currency", "preferred_language", "marketing_consent",
    "system_notifications", "is_active",
)  # fmt: skip
ADDRESS_FIELDS = ("label", "street", "postal_code", "city", "country", "is_default")


def _default_country(addresses, customer: Customer | None) -> str:
    for address in addresses or []:
        if address.get("is_default") and address.get("country"):
            return address["country"]
    if addresses and addresses[0].get("country"):
        return addresses[0]["country"]
    if customer is not None and customer.country:
        return customer.country
    return settings.KARTEI_DEFAULT_COUNTRY


def _clean_addresses(raw) -> list[dict]:
    if len(raw) > v.ADDRESSES_PER_CUSTOMER:
        raise ValidationError(
            _("A customer can have at most %(max)d addresses."), params={"max": v.ADDRESSES_PER_CUSTOMER}
        )
    addresses = []
    for number, item in enumerate(raw, start=1):
        try:
            address = {
                "label": v.clean_short_text(item.get("label", ""), max_length=50),
                "street": v.clean_short_text(item.get("street", ""), max_length=200),
                "postal_code": v.clean_short_text(item.get("postal_code", ""), max_length=20),
                "city": v.clean_short_text(item.get("city", ""), max_length=100),
                "country": v.clean_country(item.get("country", "")),
                "is_default": bool(item.get("is_default")),
            }
        except ValidationError as error:
            raise ValidationError(
                _("Address %(number)d: %(error)s"), params={"number": number, "error": " ".join(error.messages)}
            ) from None
        if any(address[f] for f in ("street", "postal_code", "city", "country")):
            addresses.append(address)
    defaults = [a for a in addresses if a["is_default"]]
    if len(defaults) > 1:
        raise ValidationError(_("Mark only one address as the default."))
    if addresses and not defaults:
        addresses[0]["is_default"] = True
    return addresses


# How each of SCALAR_FIELDS is cleaned, given the country its phone number and VAT ID are read in.
_CLEANERS = {
    "kind": lambda value, region: v.clean_choice(value, Kind),
    "name": lambda value, region: v.clean_name(value),
    "vat_id": lambda value, region: v.clean_vat_id(value, country=region),
    "contact_person": lambda value, region: v.clean_short_text(value, max_length=200),
    "email": lambda value, region: v.clean_email(value),
    "phone": lambda value, region: v.clean_phone(value, region=region),
    "status": lambda value, region: v.clean_choice(value, Status),
    "temperature": lambda value, region: v.clean_choice(value, Temperature, blank=True),
    "discount_percent": lambda value, region: v.clean_discount(value),
    "preferred_currency": lambda value, region: v.clean_currency(value),
    "preferred_language": lambda value, region: v.clean_language(value),
    "marketing_consent": lambda value, region: bool(value),
    "system_notifications": lambda value, region: bool(value),
    "is_active": lambda value, region: bool(value),
}


def customer_clean(data: dict, *, customer: Customer | None = None, check_email: bool = True) -> dict:
    """Clean the fields present in `data` (all of them on create); raise one ValidationError naming every
    field that is wrong, so a form can show each message next to its field. Without `check_email`, an e-mail
    address another customer has is not looked up (an import looks up its rows' addresses together)."""
    errors: dict[str, list] = {}
    cleaned: dict = {}

    def run(field, fn, *args, **kwargs):
        try:
            cleaned[field] = fn(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_list)

    if "addresses" in data:
        run("addresses", _clean_addresses, data["addresses"] or [])
    region = _default_country(cleaned.get("addresses") or data.get("addresses") or [], customer)
    for field in SCALAR_FIELDS:
        if field in data:  # cleaned here rather than through run(): most of a bulk import's checking is this loop
            try:
                cleaned[field] = _CLEANERS[field](data[field], region)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.error_list)
    if customer is None and "name" not in data:
        errors.setdefault("name", []).append(ValidationError(_("Enter the customer's name."), code="required"))
    if "tags" in data:
        run("tags", v.clean_tag_names, data["tags"])
    if data.get("picture"):
        run("picture", clean_picture, data["picture"])
    if "note" in data and (data["note"] or "").strip():
        run("note", v.clean_note_text, data["note"])

    email = cleaned.get("email")
    if email and "email" not in errors and check_email:
        other = email_owner(email, exclude=customer)
        if other is not None:
            errors["email"] = [_email_taken(other)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def email_owner(email: str, *, exclude: Customer | None = None) -> Customer | None:
    """The customer (not in the trash) that already uses this email address, if any. Addresses are compared the
    way the database's unique index compares them (its LOWER on both sides), so the check and the index agree
    on every address, the Kelvin sign "K" included."""
    others = (
        Customer.objects.alias(email_key=Lower("email"))
        .filter(email_key=Lower(Value(email)), deleted_at__isnull=True)
        .exclude(email="")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.only("id", "name").first()


def _email_taken(other: Customer) -> ValidationError:
    return ValidationError(
        _("%(name)s already has this email address."),
        code="duplicate_email",
        params={"name": other.name, "customer_id": other.pk},
    )


@contextmanager
def _unique_email(customer: Customer, message=None):
    """Around a save: when another customer took the address between the check and the save (two people adding
    the same customer at once), the database's unique index refuses it; say so like the check does."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        other = email_owner(customer.email, exclude=customer) if EMAIL_UNIQUE in str(error) else None
        if other is None:
            raise
        problem = ValidationError(message, params={"email": customer.email}) if message else _email_taken(other)
        raise ValidationError({"email": [problem]}) from None


def tags_for_names(names: list[str]) -> list[Tag]:
    """The tags with these names, creating the ones that do not exist yet. Two people adding the same new tag at
    once both get it: a tag someone else has just created is taken, not created twice."""
    found = {name: tag_named(name) for name in names}
    missing = sorted((n for n, tag in found.items() if tag is None), key=str.lower)  # one order: no deadlocks
    if missing:
        Tag.objects.bulk_create([Tag(name=n) for n in missing], ignore_conflicts=True)
        found.update({name: tag_named(name) for name in missing})
    return [found[name] for name in names]


@transaction.atomic
def tags_unused_delete(*, actor) -> int:
    """Remove the tags no customer has (those of customers purged from the trash, say); owners only. How many."""
    if not is_owner(actor):
        raise PermissionDenied
    count, _deleted = unused_tags().delete()
    return count


def customer_addresses(customer: Customer) -> list[dict]:
    """The customer's stored addresses as the services handle them."""
    return [
        {f: (a.country.code or "") if f == "country" else getattr(a, f) for f in ADDRESS_FIELDS}
        for a in customer.addresses.all()
    ]


def _set_addresses(customer: Customer, addresses: list[dict]) -> None:
    customer.addresses.all().delete()
    Address.objects.bulk_create(Address(customer=customer, **a) for a in addresses)


def _consent_changed(customer: Customer, channel: str) -> None:
    customer.marketing_consent_at = timezone.now() if customer.marketing_consent else None
    customer.marketing_consent_source = channel if customer.marketing_consent else ""


@transaction.atomic
def customer_create(*, actor, data: dict, source: str = Source.MANUAL) -> Customer:
    cleaned = customer_clean(data)
    customer = Customer(source=source, created_at=timezone.now(), preferred_currency=settings.KARTEI_DEFAULT_CURRENCY)
    for field in SCALAR_FIELDS:
        if field in cleaned:
            setattr(customer, field, cleaned[field])
    if customer.marketing_consent:
        _consent_changed(customer, source)
    tags = tags_for_names(cleaned.get("tags", []))
    addresses = cleaned.get("addresses", [])
    customer.tag_names = tag_names_of(tags)
    refresh_derived(customer, addresses=addresses)
    if "picture" in cleaned:
        customer.picture.save(cleaned["picture"].name, cleaned["picture"], save=False)
    with _unique_email(customer):
        customer.save()
    _set_addresses(customer, addresses)
    customer.tags.set(tags)
    event_record(customer=customer, kind="customer.created", actor=actor, data={"source": source})
    if cleaned.get("note"):
        note_create(customer=customer, actor=actor, text=cleaned["note"], priority=Priority.NONE)
    return customer


def _display(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def customer_update(
    *, customer: Customer, actor, data: dict, version: int | None = None, channel: str = "manual", subject=None
):
    """Change the fields given in `data`. With `version`, refuse when someone else saved in between. `subject`:
    what the change came with (an import), for the timeline."""
    customer = _locked(customer)
    if version is not None and int(version) != customer.version:
        raise ConflictError
    cleaned = customer_clean(data, customer=customer)
    changes: dict[str, list[str]] = {}
    for field in SCALAR_FIELDS:
        if field in cleaned and getattr(customer, field) != cleaned[field]:
            changes[field] = [_display(getattr(customer, field)), _display(cleaned[field])]
            setattr(customer, field, cleaned[field])
    if "marketing_consent" in changes:
        _consent_changed(customer, channel)
    if "tags" in cleaned:
        tags = tags_for_names(cleaned["tags"])
        names = tag_names_of(tags)
        if names != customer.tag_names:
            changes["tags"] = [customer.tag_names, names]
            customer.tag_names = names
            customer.tags.set(tags)
    current = customer_addresses(customer)
    addresses = cleaned.get("addresses")
    if addresses is not None and current != addresses:
        _set_addresses(customer, addresses)
        changes["addresses"] = [str(len(current)), str(len(addresses))]
    if "picture" in cleaned:
        if customer.picture:
            customer.picture.delete(save=False)
        customer.picture.save(cleaned["picture"].name, cleaned["picture"], save=False)
        changes["picture"] = ["", ""]
    elif data.get("remove_picture") and customer.picture:
        customer.picture.delete(save=False)
        changes["picture"] = ["", ""]
    if not changes:
        return customer
    refresh_derived(customer, addresses=current if addresses is None else addresses)
    customer.version += 1
    with _unique_email(customer):
        customer.save()
    event_record(customer=customer, kind="customer.updated", actor=actor, subject=subject, data={"changes": changes})
    return customer


def _locked(customer: Customer) -> Customer:
    """The customer, re-read under a row lock, so two saves cannot interleave; trash is not editable."""
    return Customer.objects.select_for_update().get(pk=customer.pk, deleted_at__isnull=True)


@transaction.atomic
def customer_set_active(*, customer: Customer, actor, active: bool) -> Customer:
    customer = _locked(customer)
    if customer.is_active != active:
        customer.is_active = active
        customer.version += 1
        customer.save(update_fields=["is_active", "version", "updated_at"])
        kind = "customer.reactivated" if active else "customer.deactivated"
        event_record(customer=customer, kind=kind, actor=actor)
    return customer


@transaction.atomic
def customer_delete(*, customer: Customer, actor) -> Customer:
    """Move the customer to the trash; it can be restored for KARTEI_TRASH_DAYS days."""
    customer = _locked(customer)
    customer.deleted_at = timezone.now()
    customer.version += 1
    customer.save(update_fields=["deleted_at", "version", "updated_at"])
    event_record(customer=customer, kind="customer.deleted", actor=actor)
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer, actor) -> Customer:
    customer = Customer.objects.select_for_update().get(pk=customer.pk, deleted_at__isnull=False)
    message = _("Another customer now uses %(email)s. Change that customer's email first.")
    if customer.email and email_owner(customer.email, exclude=customer):
        raise ValidationError({"email": ValidationError(message, params={"email": customer.email})})
    customer.deleted_at = None
    customer.version += 1
    with _unique_email(customer, message):
        customer.save(update_fields=["deleted_at", "version", "updated_at"])
    event_record(customer=customer, kind="customer.restored", actor=actor)
    return customer


def trash_purge(*, now=None) -> int:
    """Delete for good the customers that have been in the trash longer than KARTEI_TRASH_DAYS days, except those
    that records the business keeps refer to (their orders): they stay in the trash, and can be restored."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KARTEI_TRASH_DAYS)
    expired = Customer.objects.filter(deleted_at__lt=cutoff)
    count = 0
    for customer in expired.iterator():
        picture = customer.picture.name
        try:
            with transaction.atomic():
                customer.delete()
        except ProtectedError:
            continue
        if picture:
            customer.picture.storage.delete(picture)
        count += 1
    return count
