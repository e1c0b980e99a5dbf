"""The customer's reply page, opened by the link in a message's e-mail without logging in: the conversation so
far and a box to answer, with files. Opening it changes nothing; replying is a POST."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kartei.customers.models import Language
from kartei.messaging.models import Channel
from kartei.messaging.queries import conversation_page
from kartei.messaging.services import reply_add, reply_customer
from kartei.timeline.attachments import FILES_MAX

from .views import language_keep, linked_page

reply_page = linked_page(reply_customer, link="reply")
SHOWN = 30  # messages of the conversation the page shows


def _context(request, token, customer, **extra) -> dict:
    rows, more = conversation_page(customer.pk, limit=SHOWN)
    return {
        "token": token, "customer": customer, "business": settings.KARTEI_BUSINESS_NAME,
        "logo": settings.KARTEI_BUSINESS_LOGO, "languages": Language.choices, "conversation": rows,
        "more": bool(more), "files_max": FILES_MAX, "attachment_max": settings.KARTEI_ATTACHMENT_MAX_BYTES,
        "language_url": reverse("reply_language", args=[token]), **extra,
    }  # fmt: skip


@reply_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, token, customer):
    if request.method != "POST":
        return render(request, "portal/reply.html", _context(request, token, customer))
    text = request.POST.get("text", "")
    try:
        reply_add(customer=customer, text=text, files=request.FILES.getlist("files"), channel=Channel.REPLY_PAGE,
                  base_url=request.build_absolute_uri("/"))  # fmt: skip
    except ValidationError as error:
        return render(request, "portal/reply.html", _context(request, token, customer, text=text,
                                                             errors=error.messages), status=422)  # fmt: skip
    messages.success(request, _("Thank you, your reply has been sent."))
    return redirect("reply", token=token)


@reply_page
@require_POST
def language(request, token, customer):
    language_keep(request)
    return redirect("reply", token=token)
