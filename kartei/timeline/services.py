"""Recording timeline events. Every service that changes a customer calls event_record inside its transaction."""

from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.core import bulk
from kartei.core.validation import is_visible, multi_line

from .actors import actor_fields, actor_user
from .attachments import FILES_MAX, attachments_add, display_name, files_check
from .mentions import MentionType, Pick, mentions_in
from .models import Attachment, Comment, Event, Mention
from .registry import event_types
from .tasks import mention_mails


def event_record(
    *, customer, kind: str, actor, subject: models.Model | None = None, data: Mapping | None = None
) -> Event:
    """Record that `actor` did `kind` to `customer` (and to `subject`, such as a note, if given).

    `actor`: the acting user, timeline.actors.CUSTOMER, or timeline.actors.SYSTEM (None also means the system).
    `data`: only the keys the kind declares. An unregistered kind or an undeclared key is a programming error:
    ValueError, and the caller's transaction rolls back."""
    if subject is not None and subject.pk is None:
        raise ValueError("The subject of an event must be saved.")
    actor_type, user = actor_fields(actor)
    data = _checked_data(kind, data)
    return Event.objects.create(
        customer=customer, kind=kind, actor_type=actor_type, actor=user, subject=subject, data=data
    )


def events_bulk_record(
    *, customer_ids: list[int], kind: str, actor, subject: models.Model | None = None, data: Mapping | None = None, at
) -> None:
    """Record the same event for many customers at once (bulk inserts), at the time `at`; as event_record."""
    actor_type, user = actor_fields(actor)
    row = {"kind": kind, "actor_type": actor_type, "actor_id": getattr(user, "pk", None),
           "data": _checked_data(kind, data), "created_at": at}  # fmt: skip
    if subject is not None:
        row.update(subject_type_id=ContentType.objects.get_for_model(subject).pk, subject_id=subject.pk)
    bulk.Table(Event).insert_each(row, "customer_id", customer_ids)


def _checked_data(kind: str, data: Mapping | None) -> dict:
    """The data of an event of `kind`; only the keys the kind declares, or ValueError."""
    event_type = event_types.get(kind)
    data = dict(data or {})
    undeclared = sorted(set(data) - set(event_type.data))
    if undeclared:
        raise ValueError(f"The event type {kind!r} carries {list(event_type.data)}, not {undeclared}.")
    return data


COMMENT_MAX = 10_000  # characters


@transaction.atomic
def comment_add(*, actor, customer, text: str, picks: Iterable[Pick] = (), files=(), base_url: str = "") -> Comment:
    """A comment of `actor` (a member of staff) on the customer's timeline, kept exactly as typed, with the
    colleagues, customers and products it names (mentions.py). Each colleague named finds it in their Mentions
    inbox and, if they want, in an e-mail (linking to `base_url`, the site's address). `files` are attached to
    it; a comment may be only files."""
    text = multi_line(text)
    files = files_check(files)
    if not is_visible(text) and not files:
        raise ValidationError({"text": _("Write the comment first.")})
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": _("A comment holds at most %(max)d characters; this one has %(length)d.")
                                       % {"max": COMMENT_MAX, "length": len(text)}})  # fmt: skip
    if customer.deleted_at is not None:
        raise ValidationError(_("This customer is in the trash: restore them to comment."))
    mentions = mentions_in(text, picks)
    author = actor_user(actor)
    comment = Comment.objects.create(customer=customer, author=author, text=text, mentions=mentions)
    named = dict.fromkeys(m["id"] for m in mentions if m["type"] == MentionType.STAFF)
    notices = [Mention(comment=comment, user_id=pk, read_at=comment.created_at if author and pk == author.pk else None)
               for pk in named]  # fmt: skip
    Mention.objects.bulk_create(notices)
    data = {"text": text, "mentions": mentions} if mentions else {"text": text}
    event_record(customer=customer, kind="comment.added", actor=actor, subject=comment, data=data)
    attachments_add(actor=actor, files=files, comment=comment)
    unread = [n.pk for n in notices if n.read_at is None]
    if unread:
        transaction.on_commit(lambda: mention_mails.enqueue(unread, base_url=base_url), robust=True)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> None:
    """Delete a comment with its files and its mentions; only its author may. Its text leaves the timeline too
    (the events about it go); an event says a comment was deleted."""
    user = actor_user(actor)
    if user is None or comment.author_id != user.pk:
        raise PermissionDenied(_("Only whoever wrote a comment can delete it."))
    about_it = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Comment), subject_id=comment.pk)
    about_it.delete()
    customer = comment.customer
    comment.delete()
    event_record(customer=customer, kind="comment.deleted", actor=actor)


@transaction.atomic
def attachments_attach(*, actor, files, note=None, comment=None) -> list[Attachment]:
    """Attach `files` to a note or comment that exists already (the API's way), on the customer's timeline."""
    owner = note or comment
    files = files_check(files)
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    if owner.attachments.count() + len(files) > FILES_MAX:
        raise ValidationError({"files": _("A note or comment holds at most %(max)d files.") % {"max": FILES_MAX}})
    names = ", ".join(display_name(upload.name) for upload in files)
    event_record(customer=owner.customer, kind="attachment.added", actor=actor, subject=owner, data={"names": names})
    return attachments_add(actor=actor, files=files, note=note, comment=comment)


@transaction.atomic
def mentions_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's mentions read: those with `ids` (others' are left alone), or all of them. How many."""
    unread = Mention.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
