"""Messages to a customer and their replies (DESIGN.md: GET/POST /customers/{id}/messages)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from kartei.customers.models import Customer
from kartei.messaging import queries, services
from kartei.messaging.models import Channel, Direction, Message, State

from .customers import Answer
from .schemas import AttachmentOut, ErrorOut, In, Text
from .schemas import ValidationErrorOut as Invalid

router = Router(tags=["messages"])


class MessageIn(In):
    subject: Text = Field(max_length=10_000, description=f"One line, at most {services.SUBJECT_MAX} characters")
    body: Text = Field(
        max_length=100_000,
        description=f"Plain text, at most {services.BODY_MAX} characters; sent as typed, with the conversation so "
        "far quoted below",
    )


class MessageOut(BaseModel):
    id: int
    customer: int
    direction: str = Field(description="out (to the customer) or in (a reply)",
                           json_schema_extra={"enum": Direction.values})  # fmt: skip
    channel: str = Field(description="email, or reply_page (the customer's no-login page)",
                         json_schema_extra={"enum": Channel.values})  # fmt: skip
    state: str = Field(description="Out: queued, sent or failed (retry with POST …/retry). In: received (unread), "
                                   "read, or held (from an address not the customer's, waiting for review)",
                       json_schema_extra={"enum": State.values})  # fmt: skip
    read: bool = Field(description="In: whether staff have read it; out: always true")
    subject: str
    body: str
    author: int | None = Field(description="Out: the staff user who wrote it (null once deleted); in: null")
    sender: str = Field(description="In, by e-mail: the address it came from")
    attachments: list[AttachmentOut]
    created_at: datetime
    sent_at: datetime | None


class MessageList(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class MessageListParams(Schema):
    cursor: Text = Field("", max_length=4000, description="next_cursor of the previous page, as it was")
    limit: int = Field(20, ge=1, le=100)


def message_out(message: Message, customer_id: int) -> dict:
    files = message.files if hasattr(message, "files") else list(message.attachments.all())
    return {
        "id": message.pk, "customer": customer_id, "direction": message.direction, "channel": message.channel,
        "state": message.state, "read": message.state not in (State.RECEIVED, State.HELD), "subject": message.subject,
        "body": message.body, "author": message.author_id, "sender": message.sender, "attachments": files,
        "created_at": message.created_at, "sent_at": message.sent_at,
    }  # fmt: skip


def _customer(pk: int) -> Customer:
    return get_object_or_404(Customer, pk=pk, deleted_at__isnull=True)


@router.get(
    "/customers/{int:customer_id}/messages",
    response={200: MessageList, 404: ErrorOut, 422: Invalid},
    summary="A customer's conversation",
)
def message_list(request, customer_id: int, params: Query[MessageListParams]):
    """Every message to and from the customer, newest first, in cursor pages. Reading it marks nothing read:
    POST …/messages/read does."""
    customer = _customer(customer_id)
    rows, next_cursor = queries.conversation_page(customer.pk, cursor=params.cursor or None, limit=params.limit)
    return {"items": [message_out(m, customer.pk) for m in rows], "next_cursor": next_cursor}


@router.post(
    "/customers/{int:customer_id}/messages",
    response={201: MessageOut, 404: ErrorOut, 422: Invalid},
    summary="Write to a customer",
)
def message_create(request, customer_id: int, payload: MessageIn):
    """Send the customer a message by e-mail, in their language, from the background worker (state queued, then
    sent, or failed after several tries). The e-mail carries a personal link to reply without an account."""
    customer = _customer(customer_id)
    message = services.message_send(actor=request.user, customer=customer, subject=payload.subject,
                                    body=payload.body, base_url=request.build_absolute_uri("/"))  # fmt: skip
    return Answer(201, message_out(message, customer.pk))


class ReadOut(BaseModel):
    marked: int = Field(description="How many replies were unread")


@router.post(
    "/customers/{int:customer_id}/messages/read",
    response={200: ReadOut, 404: ErrorOut},
    summary="Mark a customer's replies read",
)
def message_read(request, customer_id: int):
    return {"marked": services.conversation_read(customer=_customer(customer_id))}


@router.post(
    "/messages/{int:message_id}/retry",
    response={200: MessageOut, 404: ErrorOut, 409: ErrorOut},
    summary="Send a message that failed again",
)
def message_retry(request, message_id: int):
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=message_id,
                                conversation__customer__deleted_at__isnull=True)  # fmt: skip
    if not services.message_retry(actor=request.user, message=message, base_url=request.build_absolute_uri("/")):
        return Answer(409, {"detail": _("Only a message that could not be sent can be sent again.")})
    return message_out(message, message.conversation.customer_id)


class ReplyListParams(MessageListParams):
    held: bool = Field(False, description="Those from an address not the customer's, waiting for review, "
                                          "instead of those unread")  # fmt: skip


@router.get("/replies", response={200: MessageList, 422: Invalid}, summary="Replies nobody has read, or to review")
def reply_list(request, params: Query[ReplyListParams]):
    """Customers' replies across all customers, newest first: those unread, or (held) those waiting for review."""
    rows, next_cursor = queries.inbox_page(held=params.held, cursor=params.cursor or None, limit=params.limit)
    return {"items": [message_out(m, m.conversation.customer_id) for m in rows], "next_cursor": next_cursor}


class ReviewIn(In):
    accept: bool = Field(description="true: into the customer's conversation (and timeline); false: delete it")


class ReviewOut(BaseModel):
    done: bool = Field(description="false if the reply was not (or no longer) waiting for review")


@router.post("/messages/{int:message_id}/review", response={200: ReviewOut, 404: ErrorOut, 422: Invalid},
             summary="Accept or delete a reply held for review")  # fmt: skip
def reply_review(request, message_id: int, payload: ReviewIn):
    message = get_object_or_404(Message.objects.select_related("conversation__customer"), pk=message_id,
                                conversation__customer__deleted_at__isnull=True)  # fmt: skip
    if payload.accept:
        done = services.reply_accept(actor=request.user, message=message, base_url=request.build_absolute_uri("/"))
    else:
        done = services.reply_discard(actor=request.user, message=message)
    return {"done": done}
