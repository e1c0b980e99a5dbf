"""However a list is answered at scale (the index handing over ids newest first, walking a sort column's index,
fetching the matches and sorting them; on PostgreSQL walking id windows or asking the GIN index), staff see
the same customers in the same order, page after page. A small file reaches the strategies a million customers
would by spreading the customers' ids far apart and by lowering the thresholds that choose between them."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kartei.core.pagination import decode_cursor
from kartei.customers import queries
from kartei.customers.models import Customer
from kartei.customers.queries import (
    CustomerFilter,
    bounded_count,
    customer_page,
    customers_matching,
    first_pages_by_status,
)
from kartei.customers.search import postgres
from tests.factories import make_customers_in_bulk

pytestmark = pytest.mark.django_db

FIRST = ["Anna", "Jan", "Marta", "Bärbel", "Łukasz", "Ömer", "Björn", "Annette"]
LAST = ["Müller", "Nowak", "Mueller", "Kowalski", "Brewer", "Baker", "Łódzki", "Zielińska"]
CITIES = ["Łódź", "Berlin", "Zabrze", "Aachen", "Öhringen", "lodz", ""]
FILTERS = [
    {},
    {"q": "m"},
    {"q": "mül"},
    {"q": "anna m"},
    {"q": "zzz"},
    {"status": "potential"},
    {"temperature": ["hot", "cold"]},
    {"tags": ["VIP"]},
    {"tags": ["VIP", "B2B"]},
    {"active": "false"},
    {"q": "b", "status": "current", "temperature": ["warm"]},
    {"q": "anna", "tags": ["VIP"]},
    {"q": "m", "active": "false"},
]
SORT_KEYS = {
    "newest": lambda c: -c.pk,
    "oldest": lambda c: c.pk,
    "name": lambda c: (c.sort_name, c.pk),
    "city": lambda c: (c.sort_city, c.pk),
    "joined": lambda c: (c.created_at, c.pk),
    "last_order": lambda c: (c.last_order_at or NEVER, c.pk),  # who never ordered as if longest ago
    "total": lambda c: (c.orders_total, c.pk),
}
SORTS = ["newest", "oldest", "name", "-name", "city", "-city", "joined", "last_order", "-last_order", "total", "-total"]
NEVER = datetime(1, 1, 1, tzinfo=UTC)


def spread_customers(gap: int) -> None:
    rng = random.Random(gap)
    now = timezone.now()
    specs = []
    for i in range(90):
        ordered = rng.random() < 0.6  # equal times and totals on purpose (ties go by id)
        specs.append(
            {
                "id": 7 + i * gap,
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "status": rng.choice(["current", "potential"]),
                "temperature": rng.choice(["", "hot", "warm", "cold", "not_interested"]),
                "tags": rng.sample(["VIP", "B2B", "Stammkunde"], rng.randint(0, 2)),
                "is_active": rng.random() < 0.8,
                "deleted_at": now if rng.random() < 0.05 else None,
                "created_at": now - timedelta(days=rng.randint(0, 5) * 100),
                "last_order_at": now - timedelta(days=rng.randint(0, 9)) if ordered else None,
                "orders_total": Decimal(rng.choice(["12.50", "99.99", "1250.00", "0.00"])) if ordered else Decimal(0),
                "city": rng.choice(CITIES),
                "country": "DE",
            }
        )
    make_customers_in_bulk(specs)


def expected(f: CustomerFilter) -> list[int]:
    matching = list(customers_matching(f))
    descending = f.sort.startswith("-")
    return [c.pk for c in sorted(matching, key=SORT_KEYS[f.sort.lstrip("-")], reverse=descending)]


def every_page(f: CustomerFilter, limit: int) -> list[int]:
    seen, cursor = [], None
    for _ in range(200):
        rows, cursor = customer_page(f, cursor=cursor, limit=limit)
        seen += [c.pk for c in rows]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


@pytest.fixture(params=["as shipped", "low thresholds"])
def thresholds(request, monkeypatch):
    if request.param == "low thresholds":
        limits = {"SORT_FOUND_MAX": 2, "COLUMN_WALK_ROWS": 3, "FETCH_AND_SORT_MAX": 6, "DENSE_MATCHES": 12}
        for name, value in limits.items():
            monkeypatch.setattr(queries, name, value)
        monkeypatch.setattr(postgres, "WALK_IDS", 3000)
        monkeypatch.setattr(postgres, "WINDOW_IDS", 1500)
        monkeypatch.setattr(postgres, "CHECKED_ROWS", 0)  # the state looked up in the GIN index, not checked
        monkeypatch.setattr(queries, "SHARED_READ_PAGES", 1)  # the statuses' pages read on after the shared read


@pytest.mark.parametrize("gap", [1, 3, 2503], ids=["ids next to each other", "ids 3 apart", "ids 2503 apart"])
def test_every_way_of_reading_a_list_shows_the_same_customers_in_the_same_order(gap, thresholds):
    spread_customers(gap)
    assert Customer.objects.count() == 90
    for params in FILTERS:
        for sort in SORTS:
            f = CustomerFilter.from_params(**params, sort=sort)
            want = expected(f)
            assert every_page(f, limit=4) == want, (params, sort)
            assert bounded_count(f) == (len(want), False), (params, sort)
        f = CustomerFilter.from_params(**params)
        assert every_page(f, limit=25) == expected(f), params


def opened(cursor: str | None, sort: str):
    return cursor and decode_cursor(cursor, sort)


@pytest.mark.parametrize("gap", [1, 2503], ids=["ids next to each other", "ids 2503 apart"])
def test_the_cards_first_pages_read_together_are_each_status_list_first_page(gap, thresholds):
    spread_customers(gap)
    for params in FILTERS:
        if "status" in params:
            continue
        for sort in ("newest", "oldest", "name"):
            f = CustomerFilter.from_params(**params, sort=sort)
            for limit in (1, 4, 12):
                together = first_pages_by_status(f, ["current", "potential"], limit=limit)
                for status in ("current", "potential"):
                    rows, cursor = customer_page(f, status=status, limit=limit)
                    shared_rows, shared_cursor = together[status]
                    assert [c.pk for c in shared_rows] == [c.pk for c in rows], (params, sort, limit, status)
                    # The same next page (a cursor is signed with the time, so compare what it holds).
                    assert opened(shared_cursor, sort) == opened(cursor, sort), (params, sort, limit, status)
