"""The e-mail a message goes out as: in the customer's language, from the business, with a link to reply without
an account, the conversation so far quoted below, and (with an inbound domain set) a Reply-To address that files
the customer's answer into the conversation."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kartei.accounts.mail import site_url

from .models import Message, State

HISTORY_MAX = 10  # earlier messages quoted in an e-mail


def reply_address(token: str) -> str:
    return f"reply+{token}@{settings.KARTEI_INBOUND_DOMAIN}" if settings.KARTEI_INBOUND_DOMAIN else ""


def outgoing_mail(message: Message, token: str, base_url: str = "") -> EmailMessage:
    customer = message.conversation.customer
    earlier = list(
        message.conversation.messages.filter(pk__lt=message.pk)
        .exclude(state__in=(State.HELD, State.QUEUED, State.FAILED))
        .order_by("-created_at", "-id")[:HISTORY_MAX]
    )
    with translation.override(customer.writing_language):
        context = {
            "message": message,
            "customer": customer,
            "business": settings.KARTEI_BUSINESS_NAME,
            "link": site_url(base_url) + reverse("reply", args=[token]),
            "earlier": earlier,
            "by_email": bool(settings.KARTEI_INBOUND_DOMAIN),
        }
        body = render_to_string("messaging/email/message.txt", context)
    headers = {"Message-ID": make_msgid(domain=settings.KARTEI_INBOUND_DOMAIN or None)}
    references = [m.mail_id for m in reversed(earlier) if m.mail_id]
    if references:
        headers.update({"In-Reply-To": references[-1], "References": " ".join(references)})
    reply_to = reply_address(token)
    return EmailMessage(message.subject, body, None, [customer.email], reply_to=[reply_to] if reply_to else None,
                        headers=headers)  # fmt: skip
