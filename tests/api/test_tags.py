"""GET /api/v1/tags, and tags on customers as a list of names."""

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
    assert [t["name"] for t in response.json()] == ["abc", "Neu", "vip"]
    assert response.json()[2] == {"id": Tag.objects.get(name="vip").pk, "name": "vip", "colour": "red"}


def test_it_lists_tags_created_with_a_customer(api):
    api.post("/customers", {"name": "Müller", "tags": ["Stammkunde", "VIP"]})

    assert [t["name"] for t in api.get("/tags").json()] == ["Stammkunde", "VIP"]


def test_it_shows_a_customers_tags_as_names_sorted_without_duplicates(api):
    response = api.post("/customers", {"name": "Müller", "tags": ["vip", "Alpha", "VIP", "  ", "beta"]})

    assert response.json()["tags"] == ["Alpha", "beta", "vip"]


def test_it_filters_customers_by_a_tag_from_the_list(api):
    tagged = make_customer(name="Tagged", tags=["Großkunde"])
    make_customer(name="Untagged")
    name = api.get("/tags").json()[0]["name"]

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
