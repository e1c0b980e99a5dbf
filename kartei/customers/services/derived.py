"""What a customer carries besides what staff enter, kept by every write path (one place for the rule)."""

from ..models import Customer, Tag
from ..search.documents import document, sort_keys


def tag_names_of(tags: list[Tag]) -> str:
    """The tag names as lists show and sort them."""
    return ", ".join(sorted((t.name for t in tags), key=str.lower))[:500]


def refresh_derived(customer: Customer, *, addresses: list[dict]) -> None:
    for field, value in derived_fields(vars(customer), addresses).items():
        setattr(customer, field, value)


def derived_fields(fields: dict, addresses: list[dict]) -> dict:
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
