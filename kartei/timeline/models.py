import os

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from .actors import ActorType
from .mentions import with_mentions
from .registry import event_types


class Event(models.Model):
    """One thing that happened with a customer: the timeline is the list of these, newest first.

    `kind` names a registered EventType (registry.py), which knows how the event reads. The actor is
    `actor_type` (staff, customer or system) and, for staff, the user (null once the user is deleted). The
    subject is what the event is about besides the customer (a note; later an order, a message, an import):
    a content type and an id, like Django's admin log, so any model can be one without a column per model."""

    # No index of their own on customer and actor: the (customer, time) and (actor, time) indexes below serve the
    # foreign keys too, and with statistics not yet caught up after a bulk load a plain one tempts the planner to
    # read and sort all of a busy customer's or colleague's events instead of walking them in order.
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="events",
                                 db_index=False)  # fmt: skip
    kind = models.CharField(max_length=60)
    actor_type = models.CharField(max_length=10, choices=ActorType.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              db_index=False)  # fmt: skip
    # PROTECT: removing a model's content type must not take the history about it along. No index of its own:
    # every insert would pay for it and no query reads by it yet (one on (subject_type, subject_id) comes with
    # the first list of the events about one subject).
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The timeline of one customer, newest first: the page and the API's keyset pages walk the first index.
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="event_customer_time"),
            # The activity page across all customers: everything, one kind, one member of staff.
            models.Index(fields=["-created_at", "-id"], name="event_time"),
            models.Index(fields=["kind", "-created_at", "-id"], name="event_kind_time"),
            models.Index(
                fields=["actor", "-created_at", "-id"], condition=Q(actor__isnull=False), name="event_actor_time"
            ),  # fmt: skip
            # The customers themselves or the system: by type (an IS NULL cannot lead an index that gives the order).
            models.Index(
                fields=["actor_type", "-created_at", "-id"],
                condition=Q(actor__isnull=True),
                name="event_actor_type_time",
            ),  # fmt: skip
        ]
        constraints = [
            models.CheckConstraint(condition=Q(actor_type__in=ActorType.values), name="event_actor_type_known"),
            models.CheckConstraint(
                condition=Q(actor__isnull=True) | Q(actor_type=ActorType.STAFF), name="event_actor_user_is_staff"
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="event_subject_whole",
            ),
        ]

    def __str__(self):
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"

    def text(self) -> str:
        """The event as a sentence in the active language, its actor named: "Anna Nowak added a note"."""
        return event_types.lookup(self.kind).text(self)

    @property
    def body(self) -> str:
        """What the event shows below its sentence as it was typed (a comment's text), or ""."""
        key = event_types.lookup(self.kind).body
        value = self.data.get(key) if key and isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def body_html(self) -> str:
        """The body as HTML: escaped, with the mentions it carries as links."""
        body = self.body
        return with_mentions(body, self.data.get("mentions")) if body else ""


class Comment(models.Model):
    """What a member of staff wrote on a customer's timeline, for colleagues, kept as typed.

    `mentions`: where the text names a colleague, customer or product with "@" (timeline.mentions), as
    [{"type": "staff", "id": 3, "start": 0, "end": 11}, ...]: what the text shows as links."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField()
    mentions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.text[:50]

    @property
    def html(self) -> str:
        return with_mentions(self.text, self.mentions)


class Mention(models.Model):
    """A colleague named in a comment: an entry in their Mentions inbox, unread until they open it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="mention_once_per_comment")]
        indexes = [
            # The inbox, newest first; the unread count in the navigation of every page.
            models.Index(fields=["user", "-id"], name="mention_inbox"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="mention_unread"),
        ]

    def __str__(self):
        return f"{self.user} in comment {self.comment_id}"


class AttachmentStorage(FileSystemStorage):
    """Where attachments are kept: settings.KARTEI_ATTACHMENTS_ROOT, a folder no URL maps to."""

    @property
    def base_location(self):
        return settings.KARTEI_ATTACHMENTS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


attachment_storage = AttachmentStorage()


class Attachment(models.Model):
    """A file kept with a note, a comment or a message. Stored under a random name (the user's file name is only
    shown) in storage that no URL maps to: timeline.views serves it to staff who are logged in."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="attachments")
    note = models.ForeignKey("customers.Note", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attachments")  # fmt: skip
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey("messaging.Message", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")  # fmt: skip
    file = models.FileField(storage=attachment_storage, max_length=100)
    thumbnail = models.FileField(storage=attachment_storage, max_length=100, blank=True)  # images only
    name = models.CharField(max_length=255)  # as the user's computer named it
    content_type = models.CharField(max_length=100)  # what the content is (checked), not what the upload said
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(note__isnull=False, comment__isnull=True, message__isnull=True)
                | Q(note__isnull=True, comment__isnull=False, message__isnull=True)
                | Q(note__isnull=True, comment__isnull=True, message__isnull=False),
                name="attachment_of_one_owner",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail)
