"""Customers, notes and tags. Endpoints parse, call a query or a service, and return; nothing more."""

import re

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from kartei.core.errors import ConflictError
from kartei.customers import queries, services
from kartei.customers.models import Customer, Note, Source, Status, Temperature

from .schemas import (
    CustomerCreate,
    CustomerList,
    CustomerOut,
    CustomerPatch,
    ErrorOut,
    NoteIn,
    NoteOut,
    NotePatch,
    Removed,
    TagList,
    Text,
    customer_out,
)
from .schemas import ValidationErrorOut as Invalid

try:
    from ninja import Status as Answer
except ImportError:  # older django-ninja takes a (status, body) tuple

    def Answer(status_code, value):  # noqa: N802
        return status_code, value


router = Router(tags=["customers"])
_ETAG = re.compile(r'"([0-9]{1,18})"')


class CustomerListParams(Schema):
    q: Text = NinjaField("", max_length=200, description="Words, email, phone or VAT ID; each word a prefix.")
    status: Text = NinjaField("", description="current or potential", json_schema_extra={"enum": ["", *Status.values]})
    temperature: list[Text] = NinjaField(
        [],
        max_length=4,
        description="hot, warm, cold, not_interested; several allowed",
        json_schema_extra={"items": {"type": "string", "enum": Temperature.values}},
    )
    tag: list[Text] = NinjaField([], max_length=10, description="Tag names (at most 10); a customer must have all")
    active: bool = NinjaField(True, description="false lists only inactive customers")
    sort: Text = NinjaField("newest", description="Order of the list", json_schema_extra={"enum": list(queries.SORTS)})
    cursor: Text = NinjaField("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = NinjaField(24, ge=1, le=100)


def _check_choices(params: CustomerListParams) -> None:
    errors = {}
    if params.status and params.status not in Status.values:
        errors["status"] = _("Use current or potential.")
    if any(t not in Temperature.values for t in params.temperature):
        errors["temperature"] = _("Use hot, warm, cold or not_interested.")
    if params.sort not in queries.SORTS:
        errors["sort"] = _("Use one of: %(sorts)s.") % {"sorts": ", ".join(queries.SORTS)}
    if errors:
        raise ValidationError(errors)


def _customer(pk: int) -> Customer:
    return queries.customer_detail(pk)


@router.get("/customers", response={200: CustomerList, 422: Invalid}, summary="List and search customers")
def customer_list(request, params: Query[CustomerListParams]):
    _check_choices(params)
    f = queries.CustomerFilter(
        q=params.q.strip(),
        status=params.status,
        temperature=params.temperature,
        tags=[t.strip() for t in params.tag if t.strip()],
        active=params.active,
        sort=params.sort,
    )
    return _customer_list(*queries.customer_page(f, cursor=params.cursor or None, limit=params.limit))


def _customer_list(rows: list[Customer], next_cursor: str | None) -> dict:
    """A page of customers as the API shows it (CustomerList)."""
    queries.with_addresses_and_tags(rows)
    return {"items": [customer_out(c) for c in rows], "next_cursor": next_cursor}


class TrashParams(Schema):
    cursor: Text = NinjaField("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = NinjaField(24, ge=1, le=100)


@router.get("/trash", response={200: CustomerList, 422: Invalid}, summary="List the customers in the trash")
def trash_list(request, params: Query[TrashParams]):
    """The customers in the trash, the most recently deleted first; each is deleted for good 30 days after it was
    moved there, and can be brought back until then (POST /customers/{id}/restore)."""
    return _customer_list(*queries.trash_page(cursor=params.cursor or None, limit=params.limit))


@router.post("/customers", response={201: CustomerOut, 422: Invalid}, summary="Create a customer")
def customer_create(request, payload: CustomerCreate):
    data = payload.model_dump(exclude_unset=True)
    customer = services.customer_create(actor=request.user, data=data, source=Source.API)
    return Answer(201, customer_out(_customer(customer.pk)))


def _tagged(response: HttpResponse, customer: Customer) -> dict:
    """The customer as the API shows it, its version as the response's ETag (for If-Match)."""
    response["ETag"] = f'"{customer.version}"'
    return customer_out(customer)


def _if_match(request, customer: Customer) -> int | None:
    """The version an If-Match header holds the change to: None without one (or with "*"), the customer's own
    version when it lists it, else -1 (matches nothing)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    listed = {int(m[1]) for tag in header.split(",") if (m := _ETAG.fullmatch(tag.strip()))}
    return customer.version if customer.version in listed else -1


@router.get("/customers/{int:customer_id}", response={200: CustomerOut, 404: ErrorOut})
def customer_get(request, customer_id: int, response: HttpResponse):
    """The customer; its ETag is its version, to send back as If-Match with a change."""
    return _tagged(response, _customer(customer_id))


@router.patch(
    "/customers/{int:customer_id}",
    response={200: CustomerOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut, 422: Invalid},
)
def customer_update(request, customer_id: int, payload: CustomerPatch, response: HttpResponse):
    """Change the fields sent. With `If-Match: "<ETag of a GET>"` (or `version` in the body) the change is refused
    if someone saved in between: 412 (409 for `version`). Without either, the last save wins."""
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    customer = _customer(customer_id)
    expected = _if_match(request, customer)
    try:
        customer = services.customer_update(
            customer=customer,
            actor=request.user,
            data=data,
            version=version if version is not None else expected,
            channel=Source.API,
        )
    except ConflictError as error:
        if version is None and expected is not None:
            return Answer(412, {"detail": str(error)})
        raise
    return _tagged(response, _customer(customer.pk))


@router.delete("/customers/{int:customer_id}", response={204: None, 404: ErrorOut})
def customer_delete(request, customer_id: int):
    """Move the customer to the trash; it can be restored for 30 days."""
    services.customer_delete(customer=_customer(customer_id), actor=request.user)
    return Answer(204, None)


@router.post("/customers/{int:customer_id}/restore", response={200: CustomerOut, 404: ErrorOut, 422: Invalid})
def customer_restore(request, customer_id: int):
    """Bring a customer back from the trash."""
    customer = get_object_or_404(Customer, pk=customer_id, deleted_at__isnull=False)
    services.customer_restore(customer=customer, actor=request.user)
    return customer_out(_customer(customer_id))


@router.get("/customers/{int:customer_id}/notes", response={200: list[NoteOut], 404: ErrorOut}, tags=["notes"])
def note_list(request, customer_id: int):
    """The customer's notes: high priority first, then medium, then none; newest first within each."""
    return list(queries.notes_in_order(_customer(customer_id)))


@router.post("/customers/{int:customer_id}/notes", response={201: NoteOut, 404: ErrorOut, 422: Invalid}, tags=["notes"])
def note_create(request, customer_id: int, payload: NoteIn):
    note = services.note_create(
        customer=_customer(customer_id), actor=request.user, text=payload.text, priority=payload.priority
    )
    return Answer(201, note)


def _note(note_id: int) -> Note:
    return get_object_or_404(
        Note.objects.select_related("customer", "author"), pk=note_id, customer__deleted_at__isnull=True
    )


@router.patch("/notes/{int:note_id}", response={200: NoteOut, 404: ErrorOut, 422: Invalid}, tags=["notes"])
def note_update(request, note_id: int, payload: NotePatch):
    data = payload.model_dump(exclude_unset=True)
    return services.note_update(note=_note(note_id), actor=request.user, **data)


@router.delete("/notes/{int:note_id}", response={204: None, 404: ErrorOut}, tags=["notes"])
def note_delete(request, note_id: int):
    services.note_delete(note=_note(note_id), actor=request.user)
    return Answer(204, None)


class TagListParams(Schema):
    q: Text = NinjaField("", max_length=50, description="Only tags whose name contains this, in any case")
    unused: bool = NinjaField(False, description="true lists only the tags no customer has")
    cursor: Text = NinjaField("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = NinjaField(100, ge=1, le=500)


@router.get("/tags", response={200: TagList, 422: Invalid}, tags=["tags"], summary="List tags")
def tag_list(request, params: Query[TagListParams]):
    """The tags by name, in pages."""
    rows, next_cursor = queries.tags_page(
        params.q.strip(), unused=params.unused, cursor=params.cursor or None, limit=params.limit
    )
    return {"items": rows, "next_cursor": next_cursor}


@router.delete("/tags/unused", response={200: Removed, 403: ErrorOut}, tags=["tags"], summary="Remove unused tags")
def tags_unused_delete(request):
    """Remove the tags no customer has (owners only)."""
    return {"removed": services.tags_unused_delete(actor=request.user)}
