"""A customer's timeline: its events, newest first, each also as a sentence in the request's language (the
Accept-Language header, read by Django's LocaleMiddleware as for every request)."""

from datetime import datetime
from typing import Annotated, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import BaseModel

from kartei.accounts.queries import display_name
from kartei.customers.models import Customer, Note
from kartei.timeline import actors
from kartei.timeline.activity import activity_page
from kartei.timeline.mentions import PICKS_MAX, MentionType, Pick
from kartei.timeline.models import Comment, Event
from kartei.timeline.queries import events_page, mentions_page
from kartei.timeline.registry import event_types
from kartei.timeline.services import attachments_attach, comment_add, comment_delete, mentions_read
from kartei.timeline.views import activity_filter, attachment_response

from .customers import Answer
from .schemas import AttachmentOut, ErrorOut, In, Text
from .schemas import ValidationErrorOut as Invalid

router = Router(tags=["timeline"])
ID_MAX = 2**63 - 1


class EventListParams(Schema):
    kind: Text = Field("", max_length=100, description="Only this kind (order.placed) or family (order, note, …)")
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(50, ge=1, le=100)


class ActorOut(BaseModel):
    type: str = Field(description="staff, customer or system", json_schema_extra={"enum": actors.ActorType.values})
    id: int | None = Field(description="The user's id (staff), the customer's (customer); null for the system "
                                       "and for a user since deleted")  # fmt: skip
    name: str = Field(description="How the timeline names the actor, in the request's language")


class SubjectOut(BaseModel):
    type: str = Field(description="What the event is about besides the customer, as app.model: customers.note")
    id: int


class EventOut(BaseModel):
    id: int
    kind: str = Field(description="customer.created, note.added, …; new kinds may appear")
    created_at: datetime
    actor: ActorOut
    subject: SubjectOut | None
    data: dict[str, Any] = Field(description="What the kind carries, as stored (customer.updated: changes "
                                             "{field: [old, new]})")  # fmt: skip
    text: str = Field(description="The event as a sentence in the language of Accept-Language (en, de, pl)")


class EventList(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


def event_out(event: Event) -> dict:
    subject = None
    if event.subject_type_id is not None:
        content_type = ContentType.objects.get_for_id(event.subject_type_id)  # cached after the first
        subject = {"type": f"{content_type.app_label}.{content_type.model}", "id": event.subject_id}
    actor = {
        "type": event.actor_type,
        "id": actors.actor_id(event),
        "name": actors.actor_label(event),
    }
    return {
        "id": event.pk,
        "kind": event.kind,
        "created_at": event.created_at,
        "actor": actor,
        "subject": subject,
        "data": event.data if isinstance(event.data, dict) else {},
        "text": event.text(),
    }


@router.get(
    "/customers/{int:customer_id}/events",
    response={200: EventList, 404: ErrorOut, 422: Invalid},
    summary="A customer's timeline",
)
def event_list(request, customer_id: int, params: Query[EventListParams]):
    """The customer's events, newest first, in pages: pass a page's `next_cursor` as `cursor` for the next one
    (null on the last page). Events recorded meanwhile never shift the later pages."""
    customer = get_object_or_404(Customer.objects.only("id"), pk=customer_id, deleted_at__isnull=True)
    if params.kind and not event_types.is_filter(params.kind):
        families = ", ".join(name for name, _label in event_types.families())
        raise ValidationError({"kind": _("Use a kind such as order.placed, or one of: %(families)s.")
                                       % {"families": families}})  # fmt: skip
    rows, next_cursor = events_page(customer.pk, kind=params.kind, cursor=params.cursor or None, limit=params.limit)
    return {"items": [event_out(e) for e in rows], "next_cursor": next_cursor}


class ActivityParams(Schema):
    actor: Text = Field("", max_length=20, description="A staff user's id, or customer, or system")
    kind: Text = Field("", max_length=100, description="Only this kind (order.placed) or family (order, note, …)")
    customer: Text = Field("", max_length=100, description="Customers this finds (as the customers list's q does)")
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(50, ge=1, le=100)


class CustomerRef(BaseModel):
    id: int
    name: str


class ActivityEventOut(EventOut):
    customer: CustomerRef


class ActivityList(BaseModel):
    items: list[ActivityEventOut]
    next_cursor: str | None


@router.get("/activity", response={200: ActivityList, 422: Invalid}, summary="What happened across all customers")
def activity_list(request, params: Query[ActivityParams]):
    """Events of all customers (not in the trash), newest first, in cursor pages; narrowed to a person, a kind or
    the customers a search finds."""
    f = activity_filter(params.actor, params.kind, params.customer.strip())
    rows, next_cursor = activity_page(f, cursor=params.cursor or None, limit=params.limit)
    items = [{**event_out(e), "customer": {"id": e.customer_id, "name": e.customer.name}} for e in rows]
    return {"items": items, "next_cursor": next_cursor}


class PickIn(In):
    type: Text = Field(description="staff, customer or product", json_schema_extra={"enum": MentionType.values})
    id: int = Field(ge=1, le=ID_MAX)


MENTIONS_HELP = (
    'Colleagues, customers or products the text names by "@" + their name (a colleague\'s name or username, a '
    "customer's name, a product's SKU or name): each place the text does so is a mention of them"
)


class CommentIn(In):
    text: Text = Field(description="As typed; shown exactly so, never as HTML. \"@\" + a colleague's username or "
                                   "a product's SKU mentions them", max_length=20_000)  # fmt: skip
    mentions: list[PickIn] = Field([], max_length=PICKS_MAX, description=MENTIONS_HELP)


class MentionOut(BaseModel):
    type: str = Field(description="staff, customer or product", json_schema_extra={"enum": MentionType.values})
    id: int
    start: int = Field(description='Where "@" + the name starts in the text (characters, from 0)')
    end: int = Field(description="Where it ends (exclusive)")


class CommentOut(BaseModel):
    id: int
    customer: int
    author: int | None = Field(description="The staff user who wrote it; null once the user is deleted")
    text: str
    mentions: list[MentionOut]
    attachments: list[AttachmentOut]
    created_at: datetime


def comment_out(comment) -> dict:
    return {"id": comment.pk, "customer": comment.customer_id, "author": comment.author_id, "text": comment.text,
            "mentions": comment.mentions, "attachments": list(comment.attachments.all()),
            "created_at": comment.created_at}  # fmt: skip


@router.post(
    "/customers/{int:customer_id}/comments",
    response={201: CommentOut, 404: ErrorOut, 422: Invalid},
    summary="Comment on a customer's timeline",
)
def comment_create(request, customer_id: int, payload: CommentIn):
    """A comment for colleagues on the customer's timeline (an event comment.added there). Each colleague it
    mentions finds it in their mentions (and by e-mail, if they asked for that)."""
    customer = get_object_or_404(Customer, pk=customer_id, deleted_at__isnull=True)
    picks = [Pick(p.type, p.id) for p in payload.mentions]
    comment = comment_add(actor=request.user, customer=customer, text=payload.text, picks=picks,
                          base_url=request.build_absolute_uri("/"))  # fmt: skip
    return Answer(201, comment_out(comment))


class MentionListParams(Schema):
    unread: bool = Field(False, description="Only those not read yet")
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(50, ge=1, le=100)


class PersonOut(BaseModel):
    id: int | None
    name: str


class InboxMentionOut(BaseModel):
    id: int
    read: bool
    customer: PersonOut
    author: PersonOut | None = Field(description="Who wrote the comment; null once the user is deleted")
    comment: CommentOut


class InboxMentionList(BaseModel):
    items: list[InboxMentionOut]
    next_cursor: str | None


@router.get("/mentions", response={200: InboxMentionList, 422: Invalid}, summary="Where colleagues mentioned you")
def mention_list(request, params: Query[MentionListParams]):
    """The comments that mention the caller, newest first, in cursor pages."""
    rows, next_cursor = mentions_page(request.user, unread=params.unread, cursor=params.cursor or None,
                                      limit=params.limit)  # fmt: skip
    items = []
    for mention in rows:
        comment = mention.comment
        author = comment.author and {"id": comment.author_id, "name": display_name(comment.author)}
        items.append({"id": mention.pk, "read": mention.read_at is not None, "author": author or None,
                      "customer": {"id": comment.customer_id, "name": comment.customer.name},
                      "comment": comment_out(comment)})  # fmt: skip
    return {"items": items, "next_cursor": next_cursor}


class MentionsReadIn(In):
    ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] | None = Field(
        None, max_length=1000, description="These mentions of the caller; all if left out"
    )


class MentionsReadOut(BaseModel):
    marked: int = Field(description="How many were unread and are read now")


@router.post("/mentions/read", response={200: MentionsReadOut, 422: Invalid}, summary="Mark mentions read")
def mention_read(request, payload: MentionsReadIn):
    return {"marked": mentions_read(user=request.user, ids=payload.ids)}


FILES = File(...)  # the multipart field `files`
FILES_HELP = "One or more files (multipart/form-data, field `files`), each at most KARTEI_ATTACHMENT_MAX_MB (25 MB)"


@router.delete(
    "/comments/{int:comment_id}", response={204: None, 403: ErrorOut, 404: ErrorOut}, summary="Delete your comment"
)
def comment_destroy(request, comment_id: int):
    """Delete a comment the caller wrote, with its files; its text leaves the timeline (event comment.deleted)."""
    comment = get_object_or_404(Comment.objects.select_related("customer"), pk=comment_id,
                                customer__deleted_at__isnull=True)  # fmt: skip
    comment_delete(actor=request.user, comment=comment)
    return Answer(204, None)


@router.post("/comments/{int:comment_id}/attachments", response={201: list[AttachmentOut], 404: ErrorOut, 422: Invalid},
             summary="Attach files to a comment", description=FILES_HELP)  # fmt: skip
def comment_attach(request, comment_id: int, files: list[UploadedFile] = FILES):
    comment = get_object_or_404(Comment, pk=comment_id, customer__deleted_at__isnull=True)
    return Answer(201, attachments_attach(actor=request.user, files=files, comment=comment))


@router.post("/notes/{int:note_id}/attachments", response={201: list[AttachmentOut], 404: ErrorOut, 422: Invalid},
             summary="Attach files to a note", description=FILES_HELP, tags=["notes"])  # fmt: skip
def note_attach(request, note_id: int, files: list[UploadedFile] = FILES):
    note = get_object_or_404(Note.objects.select_related("customer"), pk=note_id, customer__deleted_at__isnull=True)
    return Answer(201, attachments_attach(actor=request.user, files=files, note=note))


@router.get(
    "/attachments/{int:attachment_id}", response={200: None, 404: ErrorOut}, summary="Download an attached file"
)
def attachment_get(request, attachment_id: int):
    """The file itself: images and PDFs with their type, anything else as application/octet-stream."""
    return attachment_response(attachment_id)
