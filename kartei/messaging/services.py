"""Writing to a customer and filing their replies. Every change records its timeline event.

A reply link or reply address carries the token of one outgoing message: random (160 bits), kept only as a hash,
working while the customer is active and not in the trash, until staff stop the reply links or the message is
older than KARTEI_REPLY_LINK_DAYS. Threading follows the token, never the subject."""

import base64
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.core.validation import is_visible, multi_line, single_line
from kartei.portal.services import token_hash
from kartei.timeline.actors import CUSTOMER, SYSTEM, actor_user
from kartei.timeline.attachments import attachments_add, files_check
from kartei.timeline.services import event_record

from .models import Channel, Conversation, Direction, Message, State

SUBJECT_MAX = 200
BODY_MAX = 20_000  # characters of a message or a reply
TOKEN_LENGTH = 32  # base32 characters: 160 random bits, lower case (mail servers may fold an address's case)
SEND_ATTEMPTS = 4  # tries before a message shows as not sent


def new_reply_token() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().lower()


def _checked_text(text, *, field: str, required: str) -> str:
    text = multi_line(text)
    if not is_visible(text):
        raise ValidationError({field: required})
    if len(text) > BODY_MAX:
        raise ValidationError({field: _("A message holds at most %(max)d characters; this one has %(length)d.")
                                      % {"max": BODY_MAX, "length": len(text)}})  # fmt: skip
    return text


@transaction.atomic
def message_send(*, actor, customer, subject: str, body: str, base_url: str = "") -> Message:
    """A message from `actor` to the customer, sent by e-mail in the background (tasks.message_deliver), in the
    customer's language, with the conversation so far quoted and a link to reply (to `base_url`, the site)."""
    errors = {}
    try:
        subject = single_line(subject)
        if not subject:
            errors["subject"] = _("Write a subject.")
        elif len(subject) > SUBJECT_MAX:
            errors["subject"] = _("A subject holds at most %(max)d characters.") % {"max": SUBJECT_MAX}
    except ValidationError as error:
        errors["subject"] = error.messages
    try:
        body = _checked_text(body, field="body", required=_("Write the message."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if customer.deleted_at is not None:
        raise ValidationError(_("This customer is in the trash: restore them to write to them."))
    if not customer.email:
        raise ValidationError(_("This customer has no e-mail address. Add one to write to them."))
    conversation, _created = Conversation.objects.get_or_create(customer=customer)
    message = Message.objects.create(
        conversation=conversation, direction=Direction.OUT, channel=Channel.EMAIL, state=State.QUEUED,
        subject=subject, body=body, author=actor_user(actor),
    )  # fmt: skip
    event_record(customer=customer, kind="message.sent", actor=actor, subject=message, data={"subject": subject})
    _deliver_later(message, base_url)
    return message


def _deliver_later(message: Message, base_url: str) -> None:
    from .tasks import message_deliver

    transaction.on_commit(lambda: message_deliver.enqueue(message.pk, base_url=base_url), robust=True)


@transaction.atomic
def message_retry(*, actor, message: Message, base_url: str = "") -> bool:
    """Send a message that could not be sent once more. False if it is not one that failed."""
    retried = Message.objects.filter(pk=message.pk, state=State.FAILED).update(state=State.QUEUED, attempts=0)
    if retried:
        message.state, message.attempts = State.QUEUED, 0
        _deliver_later(message, base_url)
    return bool(retried)


@transaction.atomic
def message_failed(message: Message, error: str) -> None:
    """The worker gave up on sending the message: it shows as not sent, with a retry button."""
    if Message.objects.filter(pk=message.pk, state=State.QUEUED).update(state=State.FAILED, error=error[:500]):
        customer = message.conversation.customer
        event_record(customer=customer, kind="message.failed", actor=SYSTEM, subject=message,
                     data={"subject": message.subject})  # fmt: skip


def reply_customer(token: str):
    """The customer whose conversation a reply token opens, or None: unknown, stopped, too old, or the customer
    is deactivated or in the trash. Reads only."""
    token = (token or "").strip().lower()
    if len(token) != TOKEN_LENGTH:
        return None
    wanted = token_hash(token)
    message = (Message.objects.select_related("conversation__customer").filter(reply_token_hash=wanted)
               .only("reply_token_hash", "sent_at", "created_at", "conversation__customer").first())  # fmt: skip
    if message is None or not hmac.compare_digest(message.reply_token_hash, wanted):
        return None
    sent = message.sent_at or message.created_at
    if sent < timezone.now() - timedelta(days=settings.KARTEI_REPLY_LINK_DAYS):
        return None
    customer = message.conversation.customer
    if customer.deleted_at is not None or not customer.is_active:
        return None
    return customer


def _is_customers(customer, sender: str) -> bool:
    return bool(sender) and sender.strip().lower() == customer.email.strip().lower()


@transaction.atomic
def reply_add(*, customer, text: str, files=(), channel: str = Channel.REPLY_PAGE, subject: str = "", sender: str = "",
              raw: bytes | None = None, mail_id: str = "", base_url: str = "") -> Message:  # fmt: skip
    """A reply from the customer, into their conversation and onto their timeline, unread for staff; whoever last
    wrote to the customer hears of it. A reply by e-mail from an address that is not the customer's waits for
    review instead (State.HELD). One e-mail delivered twice is filed once (by its Message-ID)."""
    files = files_check(files)
    if channel == Channel.EMAIL:  # filed even if empty or long: it came, and the e-mail is kept as it came
        text = multi_line(text)[:BODY_MAX]
    elif files:
        text = multi_line(text)
    else:
        text = _checked_text(text, field="text", required=_("Write your reply."))
    if len(text) > BODY_MAX:
        raise ValidationError({"text": _("A message holds at most %(max)d characters; this one has %(length)d.")
                                       % {"max": BODY_MAX, "length": len(text)}})  # fmt: skip
    conversation, _created = Conversation.objects.get_or_create(customer=customer)
    if mail_id:
        earlier = conversation.messages.filter(direction=Direction.IN, mail_id=mail_id[:255]).first()
        if earlier is not None:
            return earlier
    held = channel == Channel.EMAIL and not _is_customers(customer, sender)
    try:
        subject = single_line(subject)[:SUBJECT_MAX]
    except ValidationError:
        subject = ""
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, direction=Direction.IN, channel=channel,
                state=State.HELD if held else State.RECEIVED, subject=subject, body=text,
                sender=sender[:254], mail_id=mail_id[:255],
            )  # fmt: skip
    except IntegrityError:  # the same e-mail, filed a moment ago by another process
        return conversation.messages.get(direction=Direction.IN, mail_id=mail_id[:255])
    if raw is not None:
        message.raw.save(f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}.eml", ContentFile(raw), save=True)
    if not held:
        _received(message, customer, base_url)
    attachments_add(actor=CUSTOMER, files=files, message=message)
    return message


def _received(message: Message, customer, base_url: str = "") -> None:
    from .tasks import reply_mails

    event_record(customer=customer, kind="message.received", actor=CUSTOMER, subject=message,
                 data={"text": message.body, "sender": message.sender})  # fmt: skip
    transaction.on_commit(lambda: reply_mails.enqueue([message.pk], base_url=base_url), robust=True)


@transaction.atomic
def reply_accept(*, actor, message: Message, base_url: str = "") -> bool:
    """A reply held for review goes into the customer's conversation after all. False if it was not held."""
    if not Message.objects.filter(pk=message.pk, state=State.HELD).update(state=State.RECEIVED):
        return False
    message.state = State.RECEIVED
    _received(message, message.conversation.customer, base_url)
    return True


@transaction.atomic
def reply_discard(*, actor, message: Message) -> bool:
    """A reply held for review is deleted with its files. False if it was not held."""
    deleted, _by_model = Message.objects.filter(pk=message.pk, state=State.HELD).delete()
    return bool(deleted)


def conversation_read(*, customer) -> int:
    """Staff have seen the customer's replies: none of them is unread any more. How many were."""
    return Message.objects.filter(conversation__customer=customer, state=State.RECEIVED).update(
        state=State.READ, read_at=timezone.now()
    )


@transaction.atomic
def reply_links_stop(*, actor, customer) -> int:
    """The reply links and addresses of every message sent to the customer so far stop working (a forwarded
    e-mail in the wrong hands, say). Messages sent later get new ones. How many stopped."""
    stopped = Message.objects.filter(conversation__customer=customer, reply_token_hash__isnull=False).update(
        reply_token_hash=None
    )
    if stopped:
        event_record(customer=customer, kind="message.reply_links_revoked", actor=actor)
    return stopped
