"""Realistic demo customers, generated fast enough for a million rows (no per-row validation calls: the
phone, VAT and email shapes are built to pass the same rules the services apply)."""

import multiprocessing
import queue
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import phonenumbers
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone
from stdnum.iso7064 import mod_11_10
from stdnum.pl import nip

from kartei.accounts.models import Role
from kartei.accounts.services import staff_create, staff_set_password, staff_update
from kartei.core.progress import Progress

from .demo_data import DE, EN, NOTES, PL, TAGS
from .models import Customer, Kind, Source, Status, Tag, Temperature
from .search import search_index
from .search.folding import fold
from .services import PreparedCustomers, customers_bulk_prepare, customers_bulk_session, customers_bulk_write

LOCALES = [DE] * 5 + [PL] * 3 + [EN] * 2
# Number shapes (prefix, digits to add) checked once against phonenumbers, so each generated number is valid.
PHONE_SHAPES = {
    "DE": [
        ("+49151", 8),
        ("+49160", 7),
        ("+49170", 7),
        ("+49171", 7),
        ("+49176", 8),
        ("+4930", 8),
        ("+4989", 8),
        ("+4940", 8),
        ("+49221", 7),
    ],
    "PL": [
        ("+4850", 7),
        ("+4851", 7),
        ("+4860", 7),
        ("+4866", 7),
        ("+4869", 7),
        ("+4872", 7),
        ("+4822", 7),
        ("+4812", 7),
    ],
    "GB": [("+447700", 6), ("+447911", 6), ("+4420", 8), ("+44161", 7), ("+44113", 7)],
}


def _valid_shapes() -> dict[str, list[tuple[str, int]]]:
    rng = random.Random(1)
    shapes = {}
    for country, candidates in PHONE_SHAPES.items():
        shapes[country] = [
            (prefix, n)
            for prefix, n in candidates
            if all(
                phonenumbers.is_valid_number(phonenumbers.parse(prefix + "".join(rng.choices("0123456789", k=n))))
                for _ in range(25)
            )
        ]
    return shapes


def _split(words: str) -> list[str]:
    return words.split("|") if "|" in words else words.split()


class Generator:
    def __init__(self, seed: int, tags: list[Tag]):
        self.rng = random.Random(seed)
        self.shapes = _valid_shapes()
        self.lists = {}
        for locale in (DE, PL, EN):
            self.lists[locale["country"]] = {
                key: _split(value) for key, value in locale.items() if isinstance(value, str) and key != "country"
            }
        self.tags = tags

    def _person(self, locale) -> tuple[str, str]:
        words = self.lists[locale["country"]]
        if locale is PL:
            female = self.rng.random() < 0.5
            first = self.rng.choice(words["first_f" if female else "first_m"])
            last = self.rng.choice(words["last"])
            if female and last.endswith(("ski", "cki", "dzki")):
                last = last[:-1] + "a"
            return first, last
        return self.rng.choice(words["first"]), self.rng.choice(words["last"])

    def _phone(self, country: str) -> str:
        prefix, n = self.rng.choice(self.shapes[country])
        return prefix + "".join(self.rng.choices("0123456789", k=n))

    def _vat_id(self, country: str) -> str:
        rng = self.rng
        if country == "DE":
            body = str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=7))
            return "DE" + body + mod_11_10.calc_check_digit(body)
        if country == "PL":
            while True:
                body = "".join(rng.choices("0123456789", k=9))
                check = sum(w * int(n) for w, n in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), body, strict=True)) % 11
                if check != 10 and nip.is_valid(body + str(check)):
                    return body + str(check)
        return ""

    def _postal_code(self, country: str, prefix: str) -> str:
        rng = self.rng
        if country == "DE":
            return prefix + f"{rng.randint(0, 999):03d}"
        if country == "PL":
            return f"{prefix}-{rng.randint(0, 999):03d}"
        return f"{prefix} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"

    def _address(self, locale, label: str, is_default: bool) -> dict:
        words = self.lists[locale["country"]]
        city, prefix = self.rng.choice(locale["cities"])
        street = self.rng.choice(words["streets"])
        number = str(self.rng.randint(1, 180))
        street = f"{number} {street}" if locale is EN else f"{street} {number}"
        return {
            "label": label,
            "street": street,
            "postal_code": self._postal_code(locale["country"], prefix),
            "city": city,
            "country": locale["country"],
            "is_default": is_default,
        }

    def row(self, number: int, created_at) -> dict:
        rng = self.rng
        locale = rng.choice(LOCALES)
        country = locale["country"]
        words = self.lists[country]
        first, last = self._person(locale)
        is_company = rng.random() < 0.45
        address = self._address(locale, rng.choice(locale["label"][:2]) if not is_company else locale["label"][1], True)
        if is_company:
            _, last2 = self._person(locale)
            name = rng.choice(locale["company"]).format(
                last=last, last2=last2, first=first, trade=rng.choice(words["trades"]), city=address["city"]
            )
            contact = f"{first} {last}"
            slug = "".join(c for c in fold(last) if c.isascii() and c.isalpha()) or "firma"
            email = f"info{number}@{slug}.{rng.choice(locale['mail'])}"
        else:
            name, contact = f"{first} {last}", ""
            local = ".".join("".join(c for c in fold(w) if c.isascii() and c.isalpha()) for w in (first, last))
            email = f"{local}{number}@{rng.choice(locale['mail'])}"
        status = Status.CURRENT if rng.random() < 0.6 else Status.POTENTIAL
        if status == Status.POTENTIAL:
            temperature = rng.choices(Temperature.values, weights=(15, 35, 35, 15))[0]
        else:
            temperature = rng.choice(["", "", Temperature.HOT, Temperature.WARM])
        addresses = [address]
        if is_company and rng.random() < 0.3:
            addresses.append(self._address(locale, locale["label"][3], False))
        customer = {
            "kind": Kind.COMPANY if is_company else Kind.PERSON,
            "name": name[:200],
            "contact_person": contact,
            "vat_id": self._vat_id(country) if is_company and rng.random() < 0.7 else "",
            "email": email if rng.random() < 0.92 else "",
            "phone": self._phone(country) if rng.random() < 0.9 else "",
            "status": status,
            "temperature": temperature,
            "discount_percent": rng.choice([None] * 7 + [Decimal("5"), Decimal("10"), Decimal("12.5"), Decimal("15")]),
            "preferred_currency": rng.choice(locale["currency"]),
            "preferred_language": locale["language"],
            "marketing_consent": rng.random() < 0.4,
            "system_notifications": rng.random() < 0.9,
            "is_active": rng.random() < 0.95,
            "created_at": created_at,
        }
        if customer["marketing_consent"]:
            customer.update(marketing_consent_at=created_at, marketing_consent_source="manual")
        tags = rng.sample(self.tags, k=rng.choice([0, 0, 0, 0, 1, 1, 2])) if rng.random() < 0.5 else []
        notes = [rng.choice(NOTES)] if rng.random() < 0.2 else []
        return {"customer": customer, "addresses": addresses, "tags": tags, "notes": notes}


BATCH = 5000  # customers written per transaction
IN_ANOTHER_PROCESS = 50_000  # from this many customers on, they are made in a second process while these are written


def demo_tags() -> list[Tag]:
    return [Tag.objects.get_or_create(name=name, defaults={"colour": colour})[0] for name, colour in TAGS]


def demo_rows(count: int, *, tags: list[Tag], start: int = 0, seed: int = 42, batch: int = BATCH):
    """Yield batches of demo rows; joined dates spread over the last six years, oldest first."""
    generator = Generator(seed + start, tags)
    now = timezone.now()
    span = timedelta(days=6 * 365)
    rows = []
    for i in range(count):
        created_at = now - span + span * ((i + 1) / count)
        rows.append(generator.row(start + i, created_at))
        if len(rows) == batch:
            yield rows
            rows = []
    if rows:
        yield rows


def prepared_demo_batches(count: int, *, start: int, seed: int, source: str) -> Iterator[PreparedCustomers]:
    """Demo customers in batches ready for customers_bulk_write. Many are generated and prepared (derived
    fields, search documents: the Python half of the work) in a second process while the caller writes the
    batch before, so a two-core machine does both at once."""
    tags = demo_tags()
    if count < IN_ANOTHER_PROCESS:
        for rows in demo_rows(count, tags=tags, start=start, seed=seed):
            yield customers_bulk_prepare(rows, source=source)
        return
    context = multiprocessing.get_context("fork")  # the child inherits the loaded app; it never uses the database
    batches = context.Queue(maxsize=3)
    producer = context.Process(
        target=_produce, args=(batches, count, start, seed, tags, source), name="kartei-demo", daemon=True
    )
    producer.start()
    try:
        while True:
            try:
                batch = batches.get(timeout=5)
            except queue.Empty:
                if not producer.is_alive():
                    raise RuntimeError("The process making demo customers stopped.") from None
                continue
            if batch is None:
                return
            yield batch
    finally:
        producer.kill()
        producer.join()


def _produce(batches, count: int, start: int, seed: int, tags: list[Tag], source: str) -> None:
    for rows in demo_rows(count, tags=tags, start=start, seed=seed):
        batches.put(customers_bulk_prepare(rows, source=source))
    batches.put(None)


@dataclass
class DemoAdded:
    customers: int
    seconds: float
    username: str = ""
    password: str = ""  # the demo login's new password, if one was made
    orders: int = 0


def demo_add(*, customers: int, seed: int = 42, username: str = "demo", login: bool = True, if_empty: bool = False,
             products: int = 0, orders: int = 0, stream=None) -> DemoAdded | None:  # fmt: skip
    """Add demo customers, the demo catalog (and `products` generated ones), `orders` orders from the current
    customers, and make (or reset) the demo login, an active owner with a new password. With
    `if_empty`, only into a new installation (no customers, no staff): None otherwise, and nothing changes, a
    deactivated demo login included."""
    if if_empty and (Customer.objects.exists() or get_user_model().objects.exists()):
        return None
    actor, password = None, ""
    if login:
        password = secrets.token_urlsafe(9)
        actor = _demo_owner(username, password)
    start = (Customer.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    progress = Progress(customers, label="Adding demo customers", stream=stream)
    if customers:
        with customers_bulk_session(adding=customers):
            for batch in prepared_demo_batches(customers, start=start, seed=seed, source=Source.MANUAL):
                progress.advance(len(customers_bulk_write(actor=actor, customers=batch)))
    seconds = progress.finish()
    # The catalog and the orders build on the customers, not the other way round.
    from kartei.catalog.demo import demo_catalog_add, demo_products_add
    from kartei.orders.demo import demo_orders_add

    demo_catalog_add()
    if products:
        demo_products_add(products, seed=seed)
    with search_index().bulk_connection():  # on SQLite no memory-mapped reads: they count as the process's memory
        added_orders = demo_orders_add(orders, seed=seed, stream=stream)
    return DemoAdded(customers=progress.done, seconds=seconds, username=username if login else "", password=password,
                     orders=added_orders)  # fmt: skip


def _demo_owner(username: str, password: str):
    """The demo login, an active owner (it shows every page, staff management included), with a new password."""
    data = {"role": Role.OWNER, "is_active": True}
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return staff_create(actor=None, data={"name": "Demo", "username": username, "password": password, **data})
    staff_update(actor=None, user=user, data=data)
    staff_set_password(actor=None, user=user, password=password)
    return user
