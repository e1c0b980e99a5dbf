"""Sending messages and telling staff about replies, in the task worker (`kartei serve` starts one; `kartei
db_worker` runs more)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from kartei.accounts.mail import mail_colleague, site_url
from kartei.accounts.queries import display_name
from kartei.portal.services import token_hash

from . import services
from .inbound import mailbox_poll
from .mail import outgoing_mail
from .models import Direction, Message, State

log = logging.getLogger(__name__)

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))  # after the 1st, 2nd, 3rd try


@task()
def message_deliver(message_id: int, *, base_url: str = "") -> bool:
    """Send a queued message as an e-mail. A failure is tried again later (RETRY_AFTER); after SEND_ATTEMPTS
    tries the message shows as not sent. Whether it went out now."""
    message = Message.objects.select_related("conversation__customer").filter(pk=message_id).first()
    if message is None or message.state != State.QUEUED:
        return False
    token = services.new_reply_token()
    Message.objects.filter(pk=message.pk).update(reply_token_hash=token_hash(token))
    mail = outgoing_mail(message, token, base_url)
    try:
        mail.send()
    except Exception as error:  # the mail server refused or could not be reached
        attempts = message.attempts + 1
        reason = f"{type(error).__name__}: {error}"[:500]
        log.warning("Message %s could not be sent (try %s): %s", message.pk, attempts, reason)
        if attempts >= services.SEND_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(attempts=attempts)
            services.message_failed(message, reason)
        else:
            Message.objects.filter(pk=message.pk).update(attempts=attempts, error=reason)
            later = message_deliver.using(run_after=timezone.now() + RETRY_AFTER[attempts - 1])
            later.enqueue(message.pk, base_url=base_url)
        return False
    Message.objects.filter(pk=message.pk, state=State.QUEUED).update(
        state=State.SENT,
        sent_at=timezone.now(),
        attempts=message.attempts + 1,
        error="",
        mail_id=mail.extra_headers["Message-ID"],
    )
    return True


@task()
def reply_mails(message_ids: list[int], *, base_url: str = "") -> int:
    """Tell whoever last wrote to the customer that they replied: by e-mail, in their language, unless they turned
    mention and reply mails off, have no address or have left. How many e-mails went out."""
    sent = 0
    replies = Message.objects.filter(pk__in=message_ids, state=State.RECEIVED).select_related("conversation__customer")
    for reply in replies:
        last = (
            Message.objects.filter(conversation=reply.conversation, direction=Direction.OUT, author__isnull=False)
            .filter(Q(author__is_active=True) & ~Q(author__email="") & Q(author__staff_profile__mention_email=True))
            .select_related("author__staff_profile")
            .order_by("-id")
            .first()
        )
        if last is None:
            continue
        user, customer = last.author, reply.conversation.customer
        context = {
            "name": display_name(user),
            "customer": customer.name,
            "text": reply.body,
            "link": site_url(base_url) + reverse("messaging:conversation", args=[customer.pk]),
        }
        sent += mail_colleague(user, "messaging/email/reply", context)
    return sent


@task()
def mailbox_read() -> int:
    """File the replies waiting in the mailbox INBOUND_IMAP_URL names, and come back in
    KARTEI_IMAP_POLL_SECONDS. How many were filed."""
    try:
        filed, _not_replies = mailbox_poll(settings.INBOUND_IMAP_URL) if settings.INBOUND_IMAP_URL else (0, 0)
    except Exception:  # the mail server is away: try again next time
        log.exception("The mailbox for replies could not be read.")
        filed = 0
    schedule_mailbox_read(after=timezone.now() + timedelta(seconds=settings.KARTEI_IMAP_POLL_SECONDS))
    return filed


def schedule_mailbox_read(*, after=None) -> None:
    """Queue reading the replies' mailbox (if one is set) unless it is queued already."""
    if not settings.INBOUND_IMAP_URL:
        return
    queued = DBTaskResult.objects.filter(task_path=mailbox_read.module_path, status=TaskResultStatus.READY)
    if not queued.exists():
        mailbox_read.using(run_after=after).enqueue()
