"""Every change to customers, notes and tags: one function per use case, each in a transaction,
each recording what happened on the customer's timeline. The UI, the API, the importer and the CLI
all come through here."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartei.core import bulk
from kartei.core.errors import ConflictError
from kartei.core.progress import NoProgress
from kartei.timeline.actors import actor_user
from kartei.timeline.models import Event
from kartei.timeline.services import event_record, events_bulk_record

from . import validation as v
from .models import Address, Customer, Kind, Note, Priority, Source, Status, Tag, Temperature
from .pictures import clean_picture
from .queries import tag_named
from .search import search_index
from .search.documents import customer_document, document, sort_keys

# Fields copied as they are once cleaned; the order is the order errors are reported in.
SCALAR_FIELDS = (
    "kind", "name", "vat_id", "contact_person", "email", "phone", "status", "temperature",
    "discount_percent", "preferred_currency", "preferred_language", "marketing_consent",
    "system_notifications", "is_active",
)  # fmt: skip
SEARCHED_FIELDS = {"name", "contact_person", "email", "phone", "vat_id"}
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


def _clean(data: dict, *, customer: Customer | None) -> dict:
    """Clean the fields present in `data` (all of them on create); raise one ValidationError naming every
    field that is wrong, so a form can show each message next to its field."""
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
    cleaners = {
        "kind": lambda x: v.clean_choice(x, Kind),
        "name": v.clean_name,
        "vat_id": lambda x: v.clean_vat_id(x, country=region),
        "contact_person": lambda x: v.clean_short_text(x, max_length=200),
        "email": v.clean_email,
        "phone": lambda x: v.clean_phone(x, region=region),
        "status": lambda x: v.clean_choice(x, Status),
        "temperature": lambda x: v.clean_choice(x, Temperature, blank=True),
        "discount_percent": v.clean_discount,
        "preferred_currency": v.clean_currency,
        "preferred_language": v.clean_language,
        "marketing_consent": bool,
        "system_notifications": bool,
        "is_active": bool,
    }
    for field in SCALAR_FIELDS:
        if field in data:
            run(field, cleaners[field], data[field])
    if customer is None and "name" not in data:
        errors.setdefault("name", []).append(ValidationError(_("Enter the customer's name."), code="required"))
    if "tags" in data:
        run("tags", v.clean_tag_names, data["tags"])
    if data.get("picture"):
        run("picture", clean_picture, data["picture"])
    if "note" in data and (data["note"] or "").strip():
        run("note", v.clean_note_text, data["note"])

    email = cleaned.get("email")
    if email and "email" not in errors:
        other = email_owner(email, exclude=customer)
        if other is not None:
            errors["email"] = [
                ValidationError(
                    _("%(name)s already has this email address."),
                    code="duplicate_email",
                    params={"name": other.name, "customer_id": other.pk},
                )
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def email_owner(email: str, *, exclude: Customer | None = None) -> Customer | None:
    """The customer (not in the trash) that already uses this email address, if any."""
    others = Customer.objects.filter(email__iexact=email, deleted_at__isnull=True)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.only("id", "name").first()


def tags_for_names(names: list[str]) -> list[Tag]:
    """The tags with these names, creating the ones that do not exist yet."""
    tags = []
    for name in names:
        tag = tag_named(name) or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def _tag_names(tags: list[Tag]) -> str:
    """The tag names as lists show and sort them."""
    return ", ".join(sorted((t.name for t in tags), key=str.lower))[:500]


def _refresh_derived(customer: Customer, *, addresses: list[dict]) -> None:
    for field, value in _derived(vars(customer), addresses).items():
        setattr(customer, field, value)


def _derived(fields: dict, addresses: list[dict]) -> dict:
    """What a customer carries for lists and search, from its fields and all its addresses: the default
    address's city and country, the sort keys and the search document."""
    default = next((a for a in addresses if a["is_default"]), None)
    city, country = (default["city"], default["country"]) if default else ("", "")
    sort_name, sort_city = sort_keys(fields["name"], city)
    search_document = document(
        **{f: fields.get(f, "") for f in ("name", "contact_person", "email", "phone", "vat_id")},
        country=country,
        addresses=addresses,
    )
    return {"city": city, "country": country, "sort_name": sort_name, "sort_city": sort_city,
            "search_document": search_document}  # fmt: skip


def _address_data(customer: Customer) -> list[dict]:
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
    cleaned = _clean(data, customer=None)
    customer = Customer(source=source, created_at=timezone.now(), preferred_currency=settings.KARTEI_DEFAULT_CURRENCY)
    for field in SCALAR_FIELDS:
        if field in cleaned:
            setattr(customer, field, cleaned[field])
    if customer.marketing_consent:
        _consent_changed(customer, source)
    tags = tags_for_names(cleaned.get("tags", []))
    addresses = cleaned.get("addresses", [])
    customer.tag_names = _tag_names(tags)
    _refresh_derived(customer, addresses=addresses)
    if "picture" in cleaned:
        customer.picture.save(cleaned["picture"].name, cleaned["picture"], save=False)
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
def customer_update(*, customer: Customer, actor, data: dict, version: int | None = None, channel: str = "manual"):
    """Change the fields given in `data`. With `version`, refuse when someone else saved in between."""
    customer = _locked(customer)
    if version is not None and int(version) != customer.version:
        raise ConflictError
    cleaned = _clean(data, customer=customer)
    changes: dict[str, list[str]] = {}
    for field in SCALAR_FIELDS:
        if field in cleaned and getattr(customer, field) != cleaned[field]:
            changes[field] = [_display(getattr(customer, field)), _display(cleaned[field])]
            setattr(customer, field, cleaned[field])
    if "marketing_consent" in changes:
        _consent_changed(customer, channel)
    if "tags" in cleaned:
        tags = tags_for_names(cleaned["tags"])
        names = _tag_names(tags)
        if names != customer.tag_names:
            changes["tags"] = [customer.tag_names, names]
            customer.tag_names = names
            customer.tags.set(tags)
    current = _address_data(customer)
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
    _refresh_derived(customer, addresses=current if addresses is None else addresses)
    customer.version += 1
    customer.save()
    event_record(customer=customer, kind="customer.updated", actor=actor, data={"changes": changes})
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
    if customer.email and email_owner(customer.email, exclude=customer):
        message = _("Another customer now uses %(email)s. Change that customer's email first.")
        raise ValidationError({"email": ValidationError(message, params={"email": customer.email})})
    customer.deleted_at = None
    customer.version += 1
    customer.save(update_fields=["deleted_at", "version", "updated_at"])
    event_record(customer=customer, kind="customer.restored", actor=actor)
    return customer


def trash_purge(*, now=None) -> int:
    """Delete for good the customers that have been in the trash longer than KARTEI_TRASH_DAYS days."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KARTEI_TRASH_DAYS)
    expired = Customer.objects.filter(deleted_at__lt=cutoff)
    count = 0
    for customer in expired.iterator():
        with transaction.atomic():
            if customer.picture:
                customer.picture.delete(save=False)
            customer.delete()
            count += 1
    return count


@transaction.atomic
def note_create(*, customer: Customer, actor, text: str, priority: str = Priority.NONE) -> Note:
    text, priority = _clean_note(text, priority)
    note = Note.objects.create(customer=customer, text=text, priority=priority, author=actor_user(actor))
    event_record(customer=customer, kind="note.added", actor=actor, subject=note, data={"priority": priority})
    return note


@transaction.atomic
def note_update(*, note: Note, actor, text: str | None = None, priority: str | None = None) -> Note:
    text, priority = _clean_note(note.text if text is None else text, note.priority if priority is None else priority)
    if (text, priority) == (note.text, note.priority):
        return note
    note.text, note.priority = text, priority
    note.save(update_fields=["text", "priority", "updated_at"])
    event_record(customer=note.customer, kind="note.updated", actor=actor, subject=note, data={"priority": priority})
    return note


@transaction.atomic
def note_delete(*, note: Note, actor) -> None:
    event_record(customer=note.customer, kind="note.deleted", actor=actor, subject=note, data={"text": note.text[:200]})
    note.delete()


def _clean_note(text, priority) -> tuple[str, str]:
    errors = {}
    try:
        text = v.clean_note_text(text)
    except ValidationError as error:
        errors["text"] = error.error_list
    try:
        priority = v.clean_choice(priority or Priority.NONE, Priority)
    except ValidationError as error:
        errors["priority"] = error.error_list
    if errors:
        raise ValidationError(errors)
    return text, priority


def search_documents_refresh(*, progress=None, batch: int = 5000) -> int:
    """Recompute what the customers carry for search and sorting (after an upgrade that changes how documents are
    written, or to check them) and save it where it differs; the search index follows. How many changed."""
    progress = progress or NoProgress()
    fields = ("id", "name", "contact_person", "email", "phone", "vat_id", "city", "country")
    derived = ("search_document", "sort_name", "sort_city")
    last, changed = 0, 0
    while True:
        rows = list(Customer.objects.filter(id__gt=last).order_by("id").only(*fields, *derived)[:batch])
        if not rows:
            progress.finish()
            return changed
        addresses: dict[int, list[Address]] = {}
        for address in Address.objects.filter(customer_id__in=[c.pk for c in rows]):
            addresses.setdefault(address.customer_id, []).append(address)
        stale = []
        for customer in rows:
            own = addresses.get(customer.pk, [])
            fresh = (customer_document(customer, own), *sort_keys(customer.name, customer.city))
            if fresh != tuple(getattr(customer, f) for f in derived):
                customer.search_document, customer.sort_name, customer.sort_city = fresh
                stale.append(customer)
        with transaction.atomic():
            Customer.objects.bulk_update(stale, derived)
        changed += len(stale)
        last = rows[-1].pk
        progress.advance(len(rows))


@transaction.atomic
def customers_bulk_insert(*, actor, rows: list[dict], source: str) -> list[int]:
    """Insert many already-cleaned customers at once (demo data, imports), without an ORM object per row; each
    gets the derived fields, search entry and "created" event that customer_create gives. The new ids, in order.

    Each row: {"customer": {field: value} (what customer_create's cleaning gives; fields left out get their
    default; an "id" in every row or in none), "addresses": [dict], "tags": [Tag], "notes": [(text, priority)]}.
    Call customers_bulk_finished() after the last batch."""
    if not rows:
        return []
    now = timezone.now()
    given = [row["customer"].get("id") for row in rows]
    ids = given if all(given) else bulk.reserve_ids(Customer, len(rows))
    customers = []
    for pk, row in zip(ids, rows, strict=True):
        customer = {"created_at": now, "preferred_currency": settings.KARTEI_DEFAULT_CURRENCY, **row["customer"]}
        customer.update(
            _derived(customer, row["addresses"]),
            id=pk,
            source=source,
            tag_names=_tag_names(row["tags"]),
            updated_at=now,
        )
        customers.append(customer)
    with connection.cursor() as cursor, search_index().bulk_writes(cursor, first_id=min(ids)):
        # The tag links first: PostgreSQL's trigger then indexes each customer with its tags in one pass.
        links = ({"customer_id": pk, "tag_id": t.pk} for pk, row in zip(ids, rows, strict=True) for t in row["tags"])
        bulk.insert(Customer.tags.through, links)
        bulk.insert(Customer, customers, with_ids=True)
        pairs = list(zip(ids, rows, strict=True))
        bulk.insert(Address, ({"customer_id": pk, **a} for pk, row in pairs for a in row["addresses"]))
        author = getattr(actor_user(actor), "pk", None)
        notes = (
            {"customer_id": pk, "text": text, "priority": priority, "author_id": author, "created_at": now,
             "updated_at": now}
            for pk, row in pairs
            for text, priority in row.get("notes", ())
        )  # fmt: skip
        bulk.insert(Note, notes)
        events_bulk_record(customer_ids=ids, kind="customer.created", actor=actor, data={"source": source}, at=now)
    if all(given):
        bulk.follow_ids(Customer)
    return ids


def customers_bulk_finished() -> None:
    """After the last batch of a bulk insert: the planner's statistics brought up to date, so the first search
    after a load is as fast as the hundredth (PostgreSQL's autovacuum may not have run yet, or be off)."""
    tables = [m._meta.db_table for m in (Customer, Customer.tags.through, Address, Note, Event)]
    with connection.cursor() as cursor:
        search_index().after_bulk_write(cursor, tables)
