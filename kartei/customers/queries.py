"""Reads shared by the customers page, the API and the exports."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from kartei.core.pagination import keyset_page

from .models import Address, Customer, Note, Priority, Status, Tag, Temperature
from .search import matching_ids_sql, query_terms

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}

def _sort_keys():
    return {
        "newest": (None, True),
        "oldest": (None, False),
        "name": (Lower("name"), False),
        "-name": (Lower("name"), True),
        "email": (Lower("email"), False),
        "-email": (Lower("email"), True),
        "phone": ("phone", False),
        "-phone": ("phone", True),
        "city": (Lower("city"), False),
        "-city": (Lower("city"), True),
        "status": ("status", False),
        "-status": ("status", True),
        "temperature": ("temperature", False),
        "-temperature": ("temperature", True),
        "tags": ("tag_names", False),
        "-tags": ("tag_names", True),
        "joined": ("created_at", False),
        "-joined": ("created_at", True),
    }

SORTS = tuple(_sort_keys())

@dataclass
class CustomerFilter:
    """What a list of customers is narrowed to; the same parameters in the page's URL and the API."""

    q: str = ""
    status: str = ""
    temperature: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    active: bool = True
    sort: str = "newest"

    @classmethod
    def from_params(cls, *, q="", status="", temperature=(), tags=(), active="", sort="") -> "CustomerFilter":
        """Read the URL or API parameters, ignoring values that mean nothing (an old bookmark must still open)."""
        active_word = (active or "").strip().lower()
        return cls(
            q=(q or "").strip()[:200],
            status=status if status in Status.values else "",
            temperature=[t for t in dict.fromkeys(temperature) if t in Temperature.values],
            tags=[t.strip()[:50] for t in dict.fromkeys(tags) if t and t.strip()][:10],
            active=active_word not in FALSE_WORDS,
            sort=sort if sort in SORTS else "newest",
        )

    def is_narrowed(self) -> bool:
        return bool(self.q or self.status or self.temperature or self.tags or not self.active)

def customers_matching(f: CustomerFilter, *, status: str | None = None):
    """The customers (not in the trash) that a filter selects, unordered."""
    qs = Customer.objects.filter(deleted_at__isnull=True, is_active=f.active)
    status = status or f.status
    if status:
        qs = qs.filter(status=status)
    if f.temperature:
        qs = qs.filter(temperature__in=f.temperature)
    for name in f.tags:
        qs = qs.filter(tags__name__iexact=name)
    terms = query_terms(f.q)
    if terms:
        sql, params = matching_ids_sql(terms)
        qs = qs.filter(id__in=RawSQL(sql, params))
    elif f.q:
        qs = qs.none()
    return qs

def customer_page(f: CustomerFilter, *, cursor: str | None = None, limit: int = 24, status: str | None = None):
    """One page of customers in the filter's order, and the cursor of the next page."""
    key, descending = _sort_keys()[f.sort]
    rows, next_cursor = keyset_page(
        customers_matching(f, status=status), sort=f.sort, key=key, descending=descending, cursor=cursor, limit=limit
    )
    with_card_details(rows)
    return rows, next_cursor

def bounded_count(f: CustomerFilter, *, status: str | None = None, bound: int = 1000) -> tuple[int, bool]:
    """How many customers match, counted up to `bound`: (count, more than bound)."""
    count = customers_matching(f, status=status).values("id")[: bound + 1].count()
    return min(count, bound), count > bound

NOTE_ORDER = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)

def notes_in_order(customer: Customer):
    """A customer's notes: high, then medium, then no priority; newest first within each."""
    return customer.notes.select_related("author").order_by(NOTE_ORDER, "-created_at", "-id")

def with_card_details(customers: list[Customer]) -> None:
    """Attach what a card shows (default address, tags, top note) with three queries for the whole page."""
    if not customers:
        return
    ids = [c.pk for c in customers]
    defaults = {a.customer_id: a for a in Address.objects.filter(customer_id__in=ids, is_default=True)}
    top_notes: dict[int, Note] = {}
    for note in Note.objects.filter(customer_id__in=ids).order_by("customer_id", NOTE_ORDER, "-created_at", "-id"):
        top_notes.setdefault(note.customer_id, note)
    tags: dict[int, list[Tag]] = {}
    for link in Customer.tags.through.objects.filter(customer_id__in=ids).select_related("tag"):
        tags.setdefault(link.customer_id, []).append(link.tag)
    for customer in customers:
        customer.default_address = defaults.get(customer.pk)
        customer.top_note = top_notes.get(customer.pk)
        customer.tag_list = sorted(tags.get(customer.pk, []), key=lambda t: t.name.lower())

def customer_detail(pk: int, *, include_deleted: bool = False) -> Customer:
    qs = Customer.objects.prefetch_related(
        Prefetch("addresses", queryset=Address.objects.order_by("-is_default", "id")), "tags"
    )
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return qs.get(pk=pk)

def trash():
    return Customer.objects.filter(deleted_at__isnull=False).order_by("-deleted_at", "-id")

def tags_in_use():
    return Tag.objects.order_by(Lower("name"))
