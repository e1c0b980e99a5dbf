"""Messages between the business and a customer: one conversation per customer, every message in and out.

An outgoing message is written by staff and sent as an e-mail by the task worker. The customer answers through the
personal link in that e-mail (a no-login page) or by replying to the e-mail; either reply comes back into the
conversation. Each outgoing message carries its own reply token; only its hash is kept."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kartei.timeline.models import attachment_storage


class Direction(models.TextChoices):
    OUT = "out", pgettext_lazy("message direction", "Sent")
    IN = "in", pgettext_lazy("message direction", "Received")


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("message channel", "E-mail")
    REPLY_PAGE = "reply_page", pgettext_lazy("message channel", "Reply page")


class State(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("message state", "Sending")
    SENT = "sent", pgettext_lazy("message state", "Sent")
    FAILED = "failed", pgettext_lazy("message state", "Not sent")
    RECEIVED = "received", pgettext_lazy("message state", "Unread")
    READ = "read", pgettext_lazy("message state", "Read")
    HELD = "held", pgettext_lazy("message state", "To review")  # a reply from an address not the customer's


class Conversation(models.Model):
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="conversation")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"conversation with customer {self.customer_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(max_length=10, choices=State.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    sender = models.CharField(max_length=254, blank=True)  # the address a reply came from
    # Outgoing: SHA-256 of the token in its reply link and reply address (None once revoked or not sent yet).
    reply_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    mail_id = models.CharField(max_length=255, blank=True)  # the e-mail's Message-ID, sent or received
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)  # why the last try to send failed
    raw = models.FileField(storage=attachment_storage, max_length=100, blank=True)  # a received e-mail as it came
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-created_at", "-id"], name="message_thread"),
            # The replies staff have not read yet, and those waiting for review, across all customers.
            models.Index(fields=["-id"], condition=Q(state="received"), name="message_unread"),
            models.Index(fields=["-id"], condition=Q(state="held"), name="message_held"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=["in", "out"]), name="message_direction_known"),
            # One e-mail delivered twice (a mail server's retry, the mailbox read meanwhile) is one reply.
            models.UniqueConstraint(
                fields=["conversation", "mail_id"],
                condition=Q(direction="in") & ~Q(mail_id=""),
                name="message_received_once",
            ),
        ]

    def __str__(self):
        return self.subject or self.body[:50]

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUT


@receiver(post_delete, sender=Message)
def _delete_raw(sender, instance: Message, **kwargs) -> None:
    """A deleted message takes the e-mail it came as along, once the deletion has committed."""
    if instance.raw:
        name, storage = instance.raw.name, instance.raw.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)
