"""Reading the timeline: the customer page and the API share these."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kartei.core.pagination import keyset_page

from .mentions import MentionType, Pick
from .models import Attachment, Comment, Event, Mention


def events_page(customer_id: int, *, kind: str = "", cursor: str | None = None, limit: int = 50):
    """One page of a customer's events, newest first (by time, then id), and the cursor of the next page.
    `kind`: only the events of this kind ("order.placed") or family ("order").

    A keyset walk of the (customer, -created_at, -id) index: a page costs the same for a customer with 100,000
    events as for one with ten, and events recorded between two pages never shift the later pages. The cursor is
    bound to the customer and the kind: any other cursor is refused (BadCursor)."""
    events = Event.objects.filter(customer_id=customer_id).select_related("actor")
    if kind:
        events = events.filter(kind=kind) if "." in kind else events.filter(kind__startswith=f"{kind}.")
    sort = f"events:{customer_id}:{kind}" if kind else f"events:{customer_id}"
    rows, next_cursor = keyset_page(events, sort=sort, key="created_at", descending=True, cursor=cursor, limit=limit)
    return with_details(rows), next_cursor


def with_details(events: list[Event]) -> list[Event]:
    """Each event gets `attachments`, the files of the comment or message it is about; `unread`, whether it is
    about a customer's reply nobody has read yet (a query or two for the page); and `comment_id`, the comment it
    is about, if any (its author may delete it from there)."""
    from kartei.messaging.models import Message, State  # messages are built on the timeline, not the other way

    types = ContentType.objects.get_for_models(Comment, Message)
    comment_type, message_type = types[Comment].pk, types[Message].pk
    comment_ids = [e.subject_id for e in events if e.subject_type_id == comment_type]
    message_ids = [e.subject_id for e in events if e.subject_type_id == message_type]
    files = defaultdict(list)
    if comment_ids or message_ids:
        for attachment in Attachment.objects.filter(Q(comment_id__in=comment_ids) | Q(message_id__in=message_ids)
                                                    ).order_by("id"):  # fmt: skip
            if attachment.comment_id:
                files[(comment_type, attachment.comment_id)].append(attachment)
            else:
                files[(message_type, attachment.message_id)].append(attachment)
    unread = set()
    if message_ids:
        unread = set(Message.objects.filter(pk__in=message_ids, state=State.RECEIVED).values_list("pk", flat=True))
    for event in events:
        event.attachments = files.get((event.subject_type_id, event.subject_id), [])
        event.unread = event.subject_type_id == message_type and event.subject_id in unread
        event.comment_id = event.subject_id if event.subject_type_id == comment_type else None
    return events


def mentions_page(user, *, unread: bool = False, cursor: str | None = None, limit: int = 30):
    """One page of the comments that mention `user` (only those unread, if asked), newest first, with the
    customer and the author; and the next page's cursor."""
    mentions = Mention.objects.filter(user=user).select_related("comment__customer", "comment__author")
    if unread:
        mentions = mentions.filter(read_at__isnull=True)
    return keyset_page(mentions, sort="mentions:unread" if unread else "mentions", key=None, descending=True,
                       cursor=cursor, limit=limit)  # fmt: skip


UNREAD_SHOWN_MAX = 99  # the navigation says "99+" beyond


def mentions_unread(user) -> int:
    """How many of the user's mentions are unread, counted up to UNREAD_SHOWN_MAX + 1."""
    return Mention.objects.filter(user=user, read_at__isnull=True)[: UNREAD_SHOWN_MAX + 1].count()


def mention_options(q: str, *, limit: int = 4) -> list[tuple[str, list]]:
    """What "@" + `q` may name, by kind: (kind, [(Pick, name, detail)]), colleagues first. Accents and case do
    not matter ("@lodz" finds "Łódź Bakery")."""
    from kartei.catalog.queries import ProductFilter, products_matching
    from kartei.customers.queries import CustomerFilter, customer_page
    from kartei.customers.search.folding import fold

    wanted = fold(q)
    staff = []
    for user in get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"):
        name = user.get_full_name().strip() or user.get_username()
        if wanted in fold(name) or wanted in fold(user.get_username()):
            staff.append((Pick(MentionType.STAFF, user.pk), name, user.get_username()))
    customers = customer_page(CustomerFilter.from_params(q=q), limit=limit)[0] if q else []
    products = products_matching(ProductFilter(q=q)).order_by("sort_name", "id")[:limit] if q else []
    return [
        (MentionType.STAFF, staff[:limit]),
        (
            MentionType.CUSTOMER,
            [(Pick(MentionType.CUSTOMER, c.pk), c.name, c.email or c.contact_person) for c in customers],
        ),
        (MentionType.PRODUCT, [(Pick(MentionType.PRODUCT, p.pk), p.name(), p.sku) for p in products]),
    ]
