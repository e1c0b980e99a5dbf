"""GET /api/v1/tags (by name, in pages; the unused ones apart), DELETE /api/v1/tags/unused (owners), and tags on
customers as a list of names."""

import pytest

from kartei.customers.models import Tag
from tests.api.helpers import field_error, stored_state
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_it_lists_the_tags_by_name_whatever_their_case(api):
    Tag.objects.create(name="vip", colour="red")
    Tag.objects.create(name="Neu", colour="green")
    Tag.objects.create(name="abc")

    response = api.get("/tags")

    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["abc", "Neu", "vip"]
    assert response.json()["items"][2] == {"id": Tag.objects.get(name="vip").pk, "name": "vip", "colour": "red"}


def test_it_lists_tags_created_with_a_customer(api):
    api.post("/customers", {"name": "Müller", "tags": ["Stammkunde", "VIP"]})

    assert [t["name"] for t in api.get("/tags").json()["items"]] == ["Stammkunde", "VIP"]


def test_it_shows_a_customers_tags_as_names_sorted_without_duplicates(api):
    response = api.post("/customers", {"name": "Müller", "tags": ["vip", "Alpha", "VIP", "  ", "beta"]})

    assert response.json()["tags"] == ["Alpha", "beta", "vip"]


def test_it_filters_customers_by_a_tag_from_the_list(api):
    tagged = make_customer(name="Tagged", tags=["Großkunde"])
    make_customer(name="Untagged")
    name = api.get("/tags").json()["items"][0]["name"]

    assert [c["id"] for c in api.get("/customers", tag=name).json()["items"]] == [tagged.pk]
    assert [c["id"] for c in api.get("/customers", tag="GROSSKUNDE").json()["items"]] == []


@pytest.mark.parametrize(
    "tags, field",
    [
        pytest.param([f"t{i}" for i in range(21)], "tags", id="more-than-20"),
        pytest.param(["x" * 51], "tags", id="name-too-long"),
        pytest.param(["ok", None], "tags.1", id="null-name"),
        pytest.param([["nested"]], "tags.0", id="nested-list"),
        pytest.param(["a\u0000"], "tags.0", id="NUL"),
    ],
)
def test_it_refuses_bad_tags_and_creates_none(api, tags, field):
    before = stored_state()

    field_error(api.post("/customers", {"name": "Müller", "tags": tags}), field)
    assert stored_state() == before
    assert not Tag.objects.exists()


def test_it_pages_the_tags_and_finds_them_by_any_part_of_the_name(api):
    for n in range(7):
        Tag.objects.create(name=f"Messe {2020 + n}")
    Tag.objects.create(name="VIP")

    names, cursor = [], ""
    while True:
        page = api.get("/tags", limit=3, **({"cursor": cursor} if cursor else {})).json()
        names += [t["name"] for t in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert names == [f"Messe {2020 + n}" for n in range(7)] + ["VIP"]
    assert [t["name"] for t in api.get("/tags", q="SSE 202").json()["items"]][:2] == ["Messe 2020", "Messe 2021"]
    assert api.get("/tags", q="x" * 51).status_code == 422
    assert api.get("/tags", cursor="damaged").status_code == 422
    assert api.get("/tags", limit=501).status_code == 422


def test_an_owner_removes_the_tags_no_customer_has_and_staff_may_not(api, owner_api):
    make_customer(name="Bäckerei", tags=["Stammkunde"])
    Tag.objects.create(name="Messe 2019")
    Tag.objects.create(name="Alt")
    assert [t["name"] for t in api.get("/tags", unused="true").json()["items"]] == ["Alt", "Messe 2019"]

    assert api.delete("/tags/unused").status_code == 403
    assert Tag.objects.count() == 3

    answer = owner_api.delete("/tags/unused")
    assert answer.status_code == 200 and answer.json() == {"removed": 2}
    assert list(Tag.objects.values_list("name", flat=True)) == ["Stammkunde"]
