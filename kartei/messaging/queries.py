"""Reading conversations: the customer page, the conversation page, the Messages page and the API share these."""

from django.db.models import Prefetch

from kartei.core.pagination import keyset_page
from kartei.timeline.models import Attachment

from .models import Message, State

CARD_MESSAGES = 3  # the newest messages the customer page shows
UNREAD_SHOWN_MAX = 99  # the navigation says "99+" beyond
FILES = Prefetch("attachments", queryset=Attachment.objects.order_by("id"), to_attr="files")  # each message's files


def conversation_page(customer_id: int, *, cursor: str | None = None, limit: int = 20):
    """One page of the messages to and from a customer, newest first, each with its `files`; and the next page's
    cursor. Replies held for review are not part of it."""
    messages = (Message.objects.filter(conversation__customer_id=customer_id).exclude(state=State.HELD)
                .select_related("author").prefetch_related(FILES))  # fmt: skip
    return keyset_page(messages, sort=f"messages:{customer_id}", key="created_at", descending=True, cursor=cursor,
                       limit=limit)  # fmt: skip


def conversation_card(customer) -> dict:
    """The customer page's Messages card: the newest messages, and how many replies are unread."""
    rows, more = conversation_page(customer.pk, limit=CARD_MESSAGES)
    unread = Message.objects.filter(conversation__customer=customer, state=State.RECEIVED).count() if rows else 0
    return {"customer": customer, "conversation": rows, "conversation_more": bool(more), "unread_replies": unread}


def inbox_page(*, held: bool = False, cursor: str | None = None, limit: int = 30):
    """Replies staff have not read yet (or, with `held`, those from an address not the customer's, waiting for
    review), across all customers, newest first; and the next page's cursor."""
    state = State.HELD if held else State.RECEIVED
    replies = Message.objects.filter(state=state).select_related("conversation__customer").prefetch_related(FILES)
    return keyset_page(replies, sort=f"inbox:{state}", key=None, descending=True, cursor=cursor, limit=limit)


def replies_unread() -> int:
    """How many replies nobody has read yet, counted up to UNREAD_SHOWN_MAX + 1."""
    return Message.objects.filter(state=State.RECEIVED)[: UNREAD_SHOWN_MAX + 1].count()


def replies_held() -> int:
    return Message.objects.filter(state=State.HELD)[: UNREAD_SHOWN_MAX + 1].count()
