"""GET /api/v1/customers: search, filters, sorting and cursor pagination, the same queries as the customers page;
bad parameters are a 422 naming the parameter, never a 500."""

import base64
import json

import pytest

from kartei.core.pagination import encode_cursor
from kartei.customers import queries
from tests.api.helpers import error_body, field_error
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [c["id"] for c in response.json()["items"]]


@pytest.fixture
def customers():
    """A small customer file; keyed by a short name."""
    return {
        "mueller": make_customer(
            name="Bäckerei Müller GmbH",
            email="info@mueller-backwaren.de",
            phone="+491712345678",
            vat_id="DE136695976",
            status="current",
            temperature="hot",
            tags=["VIP", "Stammkunde"],
            addresses=[{"city": "Berlin", "country": "DE"}],
        ),
        "kowalski": make_customer(
            name="Kowalski Sp. z o.o.",
            email="biuro@kowalski.pl",
            phone="+48601234567",
            status="current",
            temperature="warm",
            tags=["VIP"],
            addresses=[{"city": "Łódź", "country": "PL"}],
        ),
        "smith": make_customer(
            name="Smith & Sons Ltd",
            email="hello@smith.co.uk",
            status="potential",
            temperature="cold",
            tags=["Neu"],
            addresses=[{"city": "Berlin", "country": "DE"}],
        ),
        "mueller_lead": make_customer(name="Müller Holzbau", status="potential", temperature="hot"),
        "inactive": make_customer(name="Müller Alt", is_active=False),
    }


def test_it_lists_active_customers_newest_first_with_their_details(api, customers):
    response = api.get("/customers")

    assert ids(response) == [c.pk for c in reversed(list(customers.values())) if c.is_active]
    body = response.json()
    assert body["next_cursor"] is None
    first = next(c for c in body["items"] if c["id"] == customers["mueller"].pk)
    assert first["tags"] == ["Stammkunde", "VIP"]
    assert first["addresses"] == [
        {"label": "", "street": "", "postal_code": "", "city": "Berlin", "country": "DE", "is_default": True}
    ]
    assert first["phone"] == "+491712345678" and first["source"] == "manual"


def test_it_reads_a_page_of_100_customers_with_a_few_queries(api, django_assert_max_num_queries):
    for i in range(100):
        make_customer(name=f"Kunde {i}", tags=["VIP", f"Tag {i}"], addresses=[{"city": "Berlin"}, {"city": "Köln"}])
    api.get("/customers?limit=1")  # the token's last use is written once, not on every request

    # Token, the page of customers, their addresses, their tags: not a query per customer.
    with django_assert_max_num_queries(5):
        response = api.get("/customers?limit=100")
    items = response.json()["items"]
    assert len(items) == 100
    assert items[0]["tags"] == ["Tag 99", "VIP"]
    assert [a["city"] for a in items[0]["addresses"]] == ["Berlin", "Köln"]


def test_it_leaves_out_customers_in_the_trash(api, customers):
    api.delete(f"/customers/{customers['smith'].pk}")

    assert customers["smith"].pk not in ids(api.get("/customers"))


@pytest.mark.parametrize(
    "q, expected",
    [
        ("Müll", ["mueller", "mueller_lead"]),
        ("mull", ["mueller", "mueller_lead"]),
        ("mueller", ["mueller", "mueller_lead"]),
        ("bäck mül", ["mueller"]),
        ("0171 2345", ["mueller"]),
        ("+49 171 2345678", ["mueller"]),
        ("01712345", ["mueller"]),
        ("info@mueller-backwaren.de", ["mueller"]),
        ("biuro@kowalski", ["kowalski"]),
        ("DE136695976", ["mueller"]),
        ("KOWALSKI", ["kowalski"]),
        ("smith sons", ["smith"]),
        ("nobody", []),
    ],
)
def test_it_searches_by_name_prefix_phone_email_and_vat_id(api, customers, q, expected):
    assert sorted(ids(api.get("/customers", q=q))) == sorted(customers[k].pk for k in expected)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "current"}, ["mueller", "kowalski"]),
        ({"status": "potential"}, ["smith", "mueller_lead"]),
        ({"temperature": "hot"}, ["mueller", "mueller_lead"]),
        ({"temperature": ["warm", "cold"]}, ["kowalski", "smith"]),
        ({"tag": "vip"}, ["mueller", "kowalski"]),
        ({"tag": ["VIP", "Stammkunde"]}, ["mueller"]),
        ({"tag": "Nobody"}, []),
        ({"active": "false"}, ["inactive"]),
        ({"q": "müller", "status": "potential"}, ["mueller_lead"]),
        ({"q": "müller", "active": "false"}, ["inactive"]),
        ({"q": "müller", "temperature": "hot", "tag": "VIP"}, ["mueller"]),
    ],
)
def test_it_filters_by_status_temperature_tags_and_active(api, customers, params, expected):
    assert sorted(ids(api.get("/customers", **params))) == sorted(customers[k].pk for k in expected)


def test_it_sorts_by_name_either_way(api, customers):
    names = [c["name"] for c in api.get("/customers", sort="name").json()["items"]]
    backwards = [c["name"] for c in api.get("/customers", sort="-name").json()["items"]]

    assert names == sorted(names, key=str.lower)
    assert backwards == list(reversed(names))


@pytest.fixture
def many_customers():
    """25 customers with plenty of ties (same city, same status, same tags) to trip up a keyset."""
    cities = ["Berlin", "berlin", "Łódź", "", "Zürich"]
    made = []
    for n in range(25):
        made.append(
            make_customer(
                name=f"{'Müller' if n % 3 else 'Adler'} {n % 7}",
                email=f"c{n}@example.com" if n % 4 else "",
                phone=f"+4917123456{n:02d}" if n % 2 else "",
                status="current" if n % 2 else "potential",
                temperature=["hot", "warm", "cold", ""][n % 4],
                tags=[["VIP"], ["Neu", "VIP"], []][n % 3],
                addresses=[{"city": cities[n % 5], "country": "DE"}] if cities[n % 5] else [],
            )
        )
    return made


def walk(api, **params) -> list[int]:
    seen, cursor, pages = [], None, 0
    while True:
        response = api.get("/customers", **params, **({"cursor": cursor} if cursor else {}))
        seen += ids(response)
        cursor = response.json()["next_cursor"]
        pages += 1
        assert pages < 50
        if cursor is None:
            return seen


@pytest.mark.parametrize("sort", queries.SORTS)
def test_it_walks_every_page_and_meets_each_customer_exactly_once(api, many_customers, sort):
    everyone = ids(api.get("/customers", sort=sort, limit=100))

    walked = walk(api, sort=sort, limit=4)

    assert len(everyone) == 25
    assert walked == everyone


def test_it_walks_the_pages_of_a_search_with_filters(api, many_customers):
    everyone = ids(api.get("/customers", q="müller", status="current", limit=100))

    assert everyone and walk(api, q="müller", status="current", limit=2) == everyone


def test_it_does_not_repeat_a_customer_added_while_paging(api, many_customers):
    first = api.get("/customers", limit=10).json()
    make_customer(name="Newcomer")

    seen = [c["id"] for c in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/customers", limit=10, cursor=cursor).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]

    assert sorted(seen) == sorted(c.pk for c in many_customers)


def test_it_pages_through_long_non_latin_names(api):
    for n in range(5):
        make_customer(name="Ł" * 190 + f"ążśźćń{n}")

    assert len(walk(api, sort="name", limit=2)) == 5


def test_it_returns_an_empty_page_for_no_customers(api):
    assert api.get("/customers").json() == {"items": [], "next_cursor": None}


BAD_PARAMS = [
    pytest.param({"status": "lost"}, "status", id="status-unknown"),
    pytest.param({"status": "\u0000"}, "status", id="status-NUL"),
    pytest.param({"temperature": "x"}, "temperature", id="temperature-unknown"),
    pytest.param({"temperature": ["hot", "lukewarm"]}, "temperature", id="temperature-one-unknown"),
    pytest.param({"temperature": ["hot"] * 5}, "temperature", id="temperature-too-many"),
    pytest.param({"sort": "bogus"}, "sort", id="sort-unknown"),
    pytest.param({"sort": "name; DROP TABLE customers_customer"}, "sort", id="sort-sql"),
    pytest.param({"sort": "created_at"}, "sort", id="sort-column-name"),
    pytest.param({"limit": 0}, "limit", id="limit-0"),
    pytest.param({"limit": -1}, "limit", id="limit-negative"),
    pytest.param({"limit": 1000}, "limit", id="limit-1000"),
    pytest.param({"limit": 10**30}, "limit", id="limit-overflowing"),
    pytest.param({"limit": "abc"}, "limit", id="limit-word"),
    pytest.param({"limit": "2.5"}, "limit", id="limit-fraction"),
    pytest.param({"limit": ""}, "limit", id="limit-empty"),
    pytest.param({"active": "maybe"}, "active", id="active-word"),
    pytest.param({"q": "x" * 10_000}, "q", id="q-10000-chars"),
    pytest.param({"q": "Müller\u0000"}, "q", id="q-NUL"),
    pytest.param({"tag": "VIP\u0000"}, "tag.0", id="tag-NUL"),
    pytest.param({"tag": [f"t{i}" for i in range(11)]}, "tag", id="tags-11"),
    pytest.param({"cursor": "garbage!!"}, "cursor", id="cursor-garbage"),
    pytest.param({"cursor": "W10"}, "cursor", id="cursor-empty-list"),
    pytest.param({"cursor": "x" * 5000}, "cursor", id="cursor-too-long"),
    pytest.param({"cursor": "\u0000"}, "cursor", id="cursor-NUL"),
]


@pytest.mark.parametrize("params, field", BAD_PARAMS)
def test_it_refuses_bad_parameters_with_a_422_naming_them(api, customers, params, field):
    field_error(api.get("/customers", **params), field)


def raw_cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "sort, cursor",
    [
        pytest.param("newest", raw_cursor("newest", None, 1), id="unsigned-but-well-formed"),
        pytest.param("joined", raw_cursor("joined", 5, 1), id="number-for-a-date"),
        pytest.param("joined", raw_cursor("joined", None, 1), id="null-for-a-date"),
        pytest.param("name", raw_cursor("name", None, 1), id="null-for-a-name"),
        pytest.param("name", raw_cursor("name", "a\u0000", 1), id="NUL-in-value"),
        pytest.param("name", raw_cursor("name", "\ud800", 1), id="lone-surrogate"),
        pytest.param("newest", raw_cursor("newest", None, 10**30), id="id-overflowing"),
        pytest.param("newest", encode_cursor("newest", None, 1) + ":forged", id="forged-signature"),
    ],
)
def test_it_refuses_forged_cursors_as_damaged(api, customers, sort, cursor):
    field_error(api.get("/customers", sort=sort, cursor=cursor), "cursor")


def test_it_refuses_a_cursor_made_for_another_sort(api, many_customers):
    cursor = api.get("/customers", sort="name", limit=2).json()["next_cursor"]

    field_error(api.get("/customers", sort="-joined", cursor=cursor), "cursor")


def test_it_refuses_a_cursor_whose_signature_was_tampered_with(api, many_customers):
    cursor = api.get("/customers", limit=2).json()["next_cursor"]

    field_error(api.get("/customers", limit=2, cursor=cursor[:-3] + "AAA"), "cursor")


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        "'; DROP TABLE customers_customer; --",
        '"',
        '"Müller',
        "*",
        "Mü*",
        "NEAR(a b)",
        "a AND OR NOT b",
        "^müller",
        "-müller",
        "müller:*",
        "!&|()",
        "column:name",
        "<script>alert(1)</script>",
        "%",
        "_",
        "\\",
        "🙂",
        "ß" * 200,
        "a b c d e f g h i j k l",
        "000",
        "+",
    ],
)
def test_it_answers_hostile_or_odd_queries_with_a_plain_result(api, customers, q):
    response = api.get("/customers", q=q)

    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize(
    "query_string",
    ["q=%ED%A0%80", "q=%FF%FE", "q=%C3", "tag=%FF", "sort=%FF", "status=%C0%80"],
    ids=["encoded-surrogate", "not-utf8", "truncated-utf8", "tag-not-utf8", "sort-not-utf8", "overlong-nul"],
)
def test_it_survives_broken_percent_encoding(api, client, customers, query_string):
    response = client.get(f"/api/v1/customers?{query_string}", headers=api.headers)

    assert response.status_code in (200, 422)
    assert response["Content-Type"].startswith("application/json")


def test_it_answers_too_many_query_parameters_with_a_json_400(api, client):
    response = client.get("/api/v1/customers?" + "&".join(["tag=a"] * 2000), headers=api.headers)

    error_body(response, 400)
