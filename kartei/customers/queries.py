"""Reads shared by the customers page, the API and the exports."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower, StrIndex

from kartei.core.pagination import (
    decode_cursor,
    encode_cursor,
    keyset_bound,
    keyset_page,
)

from .models import Address, Customer, Note, Priority, Status, Tag, Temperature, last_order_key
from .search import search_index
from .search.terms import Keys, query_keys, query_terms
from .search.tokens import IndexQuery, index_query

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def _sort_keys():
    return {
        "newest": (None, True),
        "oldest": (None, False),
        "name": ("sort_name", False),
        "-name": ("sort_name", True),
        "email": (Lower("email"), False),
        "-email": (Lower("email"), True),
        "phone": ("phone", False),
        "-phone": ("phone", True),
        "city": ("sort_city", False),
        "-city": ("sort_city", True),
        "status": ("status", False),
        "-status": ("status", True),
        "temperature": ("temperature", False),
        "-temperature": ("temperature", True),
        "tags": ("tag_names", False),
        "-tags": ("tag_names", True),
        "joined": ("created_at", False),
        "-joined": ("created_at", True),
        "last_order": (last_order_key(), False),
        "-last_order": (last_order_key(), True),
        "total": ("orders_total", False),
        "-total": ("orders_total", True),
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

    @classmethod
    def from_query(cls, params) -> "CustomerFilter":
        """From a page's query string (a QueryDict): the customers page, its count and its export."""
        return cls.from_params(
            q=params.get("q", ""),
            status=params.get("status", ""),
            temperature=params.getlist("temperature"),
            tags=params.getlist("tag"),
            active=params.get("active", ""),
            sort=params.get("sort", ""),
        )

    def is_narrowed(self) -> bool:
        return bool(self.q or self.status or self.temperature or self.tags or not self.active)

    @property
    def choice_count(self) -> int:
        """How many filter choices are made, besides the search words."""
        return bool(self.status) + len(self.temperature) + len(self.tags) + (not self.active)


def customers_matching(f: CustomerFilter, *, status: str | None = None):
    """The customers (not in the trash) that a filter selects, unordered: the plain definition of what every
    list below shows, read through the ORM (exports read it in chunks)."""
    qs = Customer.objects.filter(deleted_at__isnull=True, is_active=f.active)
    status = status or f.status
    if status:
        qs = qs.filter(status=status)
    if f.temperature:
        qs = qs.filter(temperature__in=f.temperature)
    for name in f.tags:
        tag = tag_named(name)
        qs = qs.filter(tags=tag) if tag else qs.none()
    found = found_by_keys(f.q)
    terms = query_terms(f.q)
    if found is not None:
        qs = qs.filter(id__in=found)
    elif terms:
        sql, params = search_index().matching_ids_sql(index_query(terms=terms, active=f.active))
        qs = qs.filter(id__in=RawSQL(sql, params))
    elif f.q:
        qs = qs.none()
    return qs


# A key lookup that finds more customers than this is cut here (a whole e-mail address, phone number or VAT ID
# belongs to one customer, or a few).
KEY_MATCHES_MAX = 1000
_AFTER_EVERY_CHARACTER = chr(0x10FFFF)


def found_by_keys(q: str) -> tuple[int, ...] | None:
    """The customers (not in the trash) a whole e-mail address, phone number or VAT ID in `q` belongs to, found
    through b-tree indexes; None when `q` is none of these, or is a number no customer has as a whole (it is
    then searched word by word: it may be the beginning of a longer number)."""
    keys = query_keys(q, region=settings.KARTEI_DEFAULT_COUNTRY)
    if keys is None:
        return None
    found = Customer.objects.filter(deleted_at__isnull=True)
    if keys.email:
        found = found.alias(_email_key=search_index().email_key())
    found = found.filter(_keys_condition(keys))
    ids = tuple(found.values_list("id", flat=True)[:KEY_MATCHES_MAX])
    return None if not ids and keys.then_words else ids


def _keys_condition(keys: Keys) -> Q:
    if keys.email:
        typed = Lower(Value(keys.email))  # lower-cased by the database, as its e-mail indexes are
        beyond = Concat(typed, Value(_AFTER_EVERY_CHARACTER), output_field=CharField())
        return Q(_email_key__gte=typed, _email_key__lt=beyond)
    condition = Q(pk__in=[])
    if keys.phones:
        condition |= Q(phone__in=keys.phones)
    if keys.vat_ids:
        condition |= Q(vat_id__in=keys.vat_ids)
    return condition


# How a list is read at scale (docs/benchmarks.md has the plans). A whole e-mail address, phone number or VAT ID
# is looked up in b-tree indexes (FoundByKey). A filter with words or with anything beyond "active" is answered
# by the search index, which carries the filters as tokens (search.IndexQuery): newest or
# oldest first, the index hands over the page's ids in order and stops; the count is counted inside the index.
# Sorted by another column, the order comes from that column's index, and how to combine the two depends on
# how many customers match: few (SORT_FOUND_MAX) - fetch them all and sort; more - walk the column's index
# checking each row, at most COLUMN_WALK_ROWS rows; if the page is not full by then, the matches cluster further
# on in that order: fetch them all and sort (up to FETCH_AND_SORT_MAX), or walk on (SQLite: against the set of
# matching ids, cheap per row; DENSE_MATCHES: checking each row). PostgreSQL does not count first when the newest
# matches say the walk will fill the page (counting there can cost more than the walk).
SORT_FOUND_MAX = 2000  # up to this many matches are all fetched and sorted
COLUMN_WALK_ROWS = 3000  # rows of the sort column's index walked, checking each, before judging again
FETCH_AND_SORT_MAX = 20_000  # matches fetched and sorted at most when the walk did not fill the page
DENSE_MATCHES = 50_000  # from about this many matches on, a walk meets one every few rows: never fetch them all
# The cards show each status's first page; one index read of this many pages' worth, newest first, usually fills
# all of them (see first_pages_by_status).
SHARED_READ_PAGES = 4
_NOTHING = object()


@dataclass(frozen=True)
class FoundByKey:
    """A list whose customers a key lookup found (found_by_keys): the filters are checked on those few rows."""

    ids: tuple[int, ...]
    filters: IndexQuery


def _index_query(f: CustomerFilter, status: str | None):
    """The filter as an IndexQuery or a FoundByKey; None when the plain active list is asked for, _NOTHING when
    nothing can match."""
    status = status or f.status
    terms = query_terms(f.q)
    temperatures = [t for t in f.temperature if t in Temperature.values]
    if (f.q and not terms) or (status and status not in Status.values) or (f.temperature and not temperatures):
        return _NOTHING
    groups = []
    for name in f.tags:
        tag = tag_named(name)
        if tag is None:
            return _NOTHING
        groups.append((tag.pk,))
    query = index_query(terms=terms, status=status, temperatures=temperatures, tag_groups=groups, active=f.active)
    found = found_by_keys(f.q) if f.q else None
    if found is not None:
        return FoundByKey(ids=found, filters=query.without_terms()) if found else _NOTHING
    return query if query.needs_index() else None


def _unindexed(field: str, output_field):
    """The column, written so that SQLite's planner cannot pick an index for it. Without statistics SQLite takes
    any equality on an indexed column for selective, and would search `status = ...` through its index and sort
    a million rows, instead of walking the index of the order asked for."""
    if connection.vendor == "sqlite":
        return Func(F(field), template="(+%(expressions)s)", output_field=output_field)
    return F(field)


def _plain(active: bool):
    return Customer.objects.filter(deleted_at__isnull=True, is_active=active)


def _row_checks(query: IndexQuery):
    """The customers an IndexQuery finds, checked row by row (for walking another index in order)."""
    qs = _plain(query.active)
    if query.status:
        qs = qs.alias(_status=_unindexed("status", CharField())).filter(_status=query.status)
    if query.temperatures:
        qs = qs.alias(_temperature=_unindexed("temperature", CharField())).filter(_temperature__in=query.temperatures)
    for group in query.tag_groups:
        qs = qs.filter(Exists(Customer.tags.through.objects.filter(customer_id=OuterRef("pk"), tag_id__in=group)))
    for i, term in enumerate(query.terms):
        # The document is its words joined by single spaces: " " + term in " " + document is exactly
        # "term begins some word", the rule the index applies.
        where = StrIndex(Concat(Value(" "), "search_document", output_field=TextField()), Value(" " + term))
        qs = qs.alias(**{f"_word{i}": where}).filter(**{f"_word{i}__gt": 0})
    return qs


def _sorted_page(query: IndexQuery, *, key, **page):
    """A page of the customers `query` finds, sorted by another column than id (see the comment above
    SORT_FOUND_MAX)."""
    index = search_index()
    size = index.size(query, sparse=SORT_FOUND_MAX, dense=DENSE_MATCHES, walk=COLUMN_WALK_ROWS, fills=page["limit"] + 1)
    if size == "sparse":
        ids = index.ids(query, limit=SORT_FOUND_MAX + 1)
        if len(ids) <= SORT_FOUND_MAX:
            with index.sorted_reads():
                return keyset_page(Customer.objects.filter(id__in=ids), key=key, **page)
    # Walk the column's index checking each row, but no further than COLUMN_WALK_ROWS rows: matches may cluster
    # anywhere in that order ("Kwiaciarnia …" sorted by name), so density alone does not say how far the page is.
    bound_page = {k: v for k, v in page.items() if k != "limit"}
    until = keyset_bound(Customer.objects.all(), key=key, size=COLUMN_WALK_ROWS, **bound_page)
    with index.column_walks():
        rows, next_cursor = keyset_page(_row_checks(query), key=key, until=until, **page)
    if until is None or next_cursor is not None:
        return rows, next_cursor
    if size != "dense":
        ids = index.ids(query, limit=FETCH_AND_SORT_MAX + 1)
        if len(ids) <= FETCH_AND_SORT_MAX:
            with index.sorted_reads():
                return keyset_page(Customer.objects.filter(id__in=ids), key=key, **page)
        if connection.vendor == "sqlite":
            # The index's ids as a set, probed while walking the column's index, which holds the id: rows that
            # do not match are skipped without reading them.
            sql, params = index.matching_ids_sql(query)
            matching = Customer.objects.alias(_id=_unindexed("id", BigIntegerField()))
            return keyset_page(matching.filter(_id__in=RawSQL(sql, params)), key=key, **page)
    with index.column_walks():
        return keyset_page(_row_checks(query), key=key, **page)


def _index_page(query: IndexQuery, *, sort: str, descending: bool, cursor: str | None, limit: int):
    after = decode_cursor(cursor, sort)[1] if cursor else None
    ids = search_index().ids(query, descending=descending, after=after, limit=limit + 1)
    return _page_of(ids, Customer.objects.in_bulk(ids[:limit]), sort=sort, limit=limit)


def _page_of(ids: list[int], customers: dict[int, Customer], *, sort: str, limit: int):
    """The page that the first `limit` of `ids` (read in the list's order, one more if there is a next page)
    show, and the cursor of the next page."""
    page = ids[:limit]
    rows = [customers[pk] for pk in page if pk in customers]
    return rows, encode_cursor(sort, None, page[-1]) if len(ids) > limit else None


def customer_page(f: CustomerFilter, *, cursor: str | None = None, limit: int = 24, status: str | None = None):
    """One page of customers in the filter's order, and the cursor of the next page."""
    key, descending = _sort_keys()[f.sort]
    query = _index_query(f, status)
    page = {"sort": f.sort, "descending": descending, "cursor": cursor, "limit": limit}
    if query is _NOTHING:
        if cursor:
            decode_cursor(cursor, f.sort)  # a damaged link is told apart from an empty list
        rows, next_cursor = [], None
    elif query is None:
        rows, next_cursor = keyset_page(_plain(f.active), key=key, **page)
    elif isinstance(query, FoundByKey):
        with search_index().sorted_reads():
            rows, next_cursor = keyset_page(_row_checks(query.filters).filter(id__in=query.ids), key=key, **page)
    elif key is None:
        rows, next_cursor = _index_page(query, **page)
    else:
        rows, next_cursor = _sorted_page(query, key=key, **page)
    return rows, next_cursor


def first_pages_by_status(f: CustomerFilter, statuses: list[str], *, limit: int) -> dict[str, tuple[list, str | None]]:
    """The first page of each status's list, as customer_page gives it. Newest or oldest first, one read of the
    index for all statuses usually fills every page: the matching customers are read in order regardless of status
    and shared out. A status whose page is not full by then reads on from where that read stopped. On PostgreSQL
    a search among rare matches costs one GIN lookup instead of one per status."""
    key, descending = _sort_keys()[f.sort]
    shared = _index_query(f, None)
    if f.status or key is not None or not isinstance(shared, IndexQuery):
        return {status: customer_page(f, status=status, limit=limit) for status in statuses}
    index = search_index()
    wanted = limit + 1
    ids = index.ids(shared, descending=descending, limit=wanted * SHARED_READ_PAGES)
    status_of = dict(Customer.objects.filter(id__in=ids).values_list("id", "status"))
    found = {status: [pk for pk in ids if status_of.get(pk) == status] for status in statuses}
    if len(ids) == wanted * SHARED_READ_PAGES:
        for status, page in found.items():
            if len(page) < wanted:
                query = _index_query(f, status)
                page += index.ids(query, descending=descending, after=ids[-1], limit=wanted - len(page))
    customers = Customer.objects.in_bulk([pk for page in found.values() for pk in page[:limit]])
    return {status: _page_of(page, customers, sort=f.sort, limit=limit) for status, page in found.items()}


def bounded_count(f: CustomerFilter, *, status: str | None = None, bound: int = 1000) -> tuple[int, bool]:
    """How many customers match, counted up to `bound`: (count, more than bound)."""
    query = _index_query(f, status)
    if query is _NOTHING:
        count = 0
    elif query is None:
        count = _plain(f.active).values("id")[: bound + 1].count()
    elif isinstance(query, FoundByKey):
        count = _row_checks(query.filters).filter(id__in=query.ids).count()
    else:
        count = search_index().count(query, limit=bound + 1)
    return min(count, bound), count > bound


NOTE_ORDER = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def notes_in_order(customer: Customer):
    """A customer's notes: high, then medium, then no priority; newest first within each."""
    return (
        customer.notes.select_related("author")
        .prefetch_related("attachments")
        .order_by(NOTE_ORDER, "-created_at", "-id")
    )


def with_card_details(customers: list[Customer]) -> None:
    """Attach what a card shows (default address, tags, top note) with three queries for the whole page."""
    if not customers:
        return
    ids = [c.pk for c in customers]
    defaults = {a.customer_id: a for a in Address.objects.filter(customer_id__in=ids, is_default=True)}
    top_notes: dict[int, Note] = {}
    for note in Note.objects.filter(customer_id__in=ids).order_by("customer_id", NOTE_ORDER, "-created_at", "-id"):
        top_notes.setdefault(note.customer_id, note)
    _attach_tags(customers, ids)
    for customer in customers:
        customer.default_address = defaults.get(customer.pk)
        customer.top_note = top_notes.get(customer.pk)


def with_addresses_and_tags(customers: list[Customer]) -> None:
    """Attach all addresses (the default first) as `address_list` and the tags, with two queries for the page."""
    ids = [c.pk for c in customers]
    addresses: dict[int, list[Address]] = {}
    for address in Address.objects.filter(customer_id__in=ids).order_by("-is_default", "id"):
        addresses.setdefault(address.customer_id, []).append(address)
    _attach_tags(customers, ids)
    for customer in customers:
        customer.address_list = addresses.get(customer.pk, [])


def _attach_tags(customers: list[Customer], ids: list[int]) -> None:
    """`tag_list`: each customer's tags by name, whatever the case."""
    tags: dict[int, list[Tag]] = {}
    for link in Customer.tags.through.objects.filter(customer_id__in=ids).select_related("tag"):
        tags.setdefault(link.customer_id, []).append(link.tag)
    for customer in customers:
        customer.tag_list = sorted(tags.get(customer.pk, []), key=lambda t: t.name.lower())


def customer_detail(pk: int, *, include_deleted: bool = False) -> Customer:
    qs = Customer.objects.all() if include_deleted else Customer.objects.filter(deleted_at__isnull=True)
    customer = qs.get(pk=pk)
    with_addresses_and_tags([customer])
    return customer


def trash_page(*, cursor: str | None = None, limit: int = 24):
    """One page of the trash, the most recently deleted first, and the cursor of the next page."""
    in_trash = Customer.objects.filter(deleted_at__isnull=False)
    return keyset_page(in_trash, sort="trash", key="deleted_at", descending=True, cursor=cursor, limit=limit)


def tag_named(name: str) -> Tag | None:
    """The tag with this name, whatever its case. SQLite ignores case for ASCII letters only, so "ärzte"
    is compared in Python there (tags are few)."""
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None and not name.isascii():
        wanted = name.lower()
        tag = next((t for t in Tag.objects.all() if t.name.lower() == wanted), None)
    return tag


TAG_CHOICES = 20  # tags a menu offers at once; typing finds the others


def _tags_like(q: str = "", *, unused: bool = False):
    tags = Tag.objects.all()
    if q:
        tags = tags.filter(name__icontains=q)
    if unused:
        tags = tags.filter(~Exists(Customer.tags.through.objects.filter(tag_id=OuterRef("pk"))))
    return tags


def tag_choices(q: str = "", *, chosen=(), limit: int = TAG_CHOICES) -> list[Tag]:
    """The tags a menu offers: those chosen already, then up to `limit` whose name contains `q`, by name."""
    picked = [tag for name in dict.fromkeys(chosen) if (tag := tag_named(name)) is not None]
    others = _tags_like(q).exclude(pk__in=[t.pk for t in picked]).order_by(Lower("name"), "id")[:limit]
    return picked + list(others)


def tags_page(q: str = "", *, unused: bool = False, cursor: str | None = None, limit: int = 100):
    """One page of the tags (whose name contains `q`; with `unused`, only those no customer has), by name."""
    return keyset_page(
        _tags_like(q, unused=unused), sort="name", key=Lower("name"), descending=False, cursor=cursor, limit=limit
    )


def unused_tags():
    """The tags no customer has (not even one in the trash)."""
    return _tags_like(unused=True)
