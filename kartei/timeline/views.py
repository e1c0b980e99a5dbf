"""The Mentions inbox, the list that offers names while a comment is typed after "@", attached files, and the
activity across all customers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from kartei.accounts.queries import staff_list
from kartei.core.htmx import render_page
from kartei.core.pagination import BadCursor
from kartei.customers.queries import CustomerFilter, customer_page

from . import queries, services
from .activity import CUSTOMERS_MAX, ActivityFilter, activity_page, is_actor
from .attachments import DOWNLOAD, INLINE_TYPES, PDF
from .models import Attachment, Mention
from .registry import event_types

OPTIONS_QUERY_MAX = 60  # characters after "@" looked at


def mentions(request):
    """The comments that mention the user, newest first; unread ones marked, or only those."""
    unread = request.GET.get("show") == "unread"
    try:
        rows, next_cursor = queries.mentions_page(request.user, unread=unread, cursor=request.GET.get("cursor"))
    except BadCursor:
        return redirect("mentions")
    context = {"mentions": rows, "next_cursor": next_cursor, "unread_only": unread}
    return render_page(request, "timeline/mentions.html", context, partial="rows")


def mention_open(request, pk: int):
    """Open the comment a mention is in (on its customer's timeline), marking it read."""
    mention = get_object_or_404(Mention.objects.select_related("comment"), pk=pk, user=request.user)
    services.mentions_read(user=request.user, ids=[mention.pk])
    return redirect(reverse("customers:detail", args=[mention.comment.customer_id]) + "?kind=comment#timeline-body")


@require_POST
def mentions_read(request):
    count = services.mentions_read(user=request.user)
    messages.success(request, ngettext("%(count)d mention marked read.", "%(count)d mentions marked read.", count)
                     % {"count": count} if count else _("Nothing was unread."))  # fmt: skip
    return redirect("mentions")


def mention_options(request):
    """Who or what "@" + the letters typed may name, as a list to pick from (the comment box's)."""
    q = (request.GET.get("q") or "")[:OPTIONS_QUERY_MAX].strip()
    return render(request, "timeline/_mention_options.html", {"groups": queries.mention_options(q), "q": q})


@cache_control(private=True, max_age=3600)
def attachment(request, pk: int, thumbnail: bool = False):
    """An attached file, for staff who are logged in (or its thumbnail)."""
    return attachment_response(pk, thumbnail=thumbnail)


def attachment_response(pk: int, *, thumbnail: bool = False) -> FileResponse:
    """The file: images and PDFs shown in the browser, everything else a download under the name the user gave
    it. Nothing served here runs a script in Kartei's pages: the content type is what the content was checked to
    be, and all but PDFs come sandboxed."""
    found = get_object_or_404(Attachment, pk=pk)
    stored = found.thumbnail if thumbnail else found.file
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if thumbnail:
        content_type = "image/png" if stored.name.endswith(".png") else "image/jpeg"
    else:
        content_type = found.content_type if found.content_type in INLINE_TYPES else DOWNLOAD
    inline = content_type in INLINE_TYPES
    response = FileResponse(handle, as_attachment=not inline, filename=found.name, content_type=content_type)
    if content_type != PDF:  # (Chromium shows no PDF in a sandbox)
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


ACTIVITY_CUSTOMER_MAX = 100  # characters of a customer's name typed into the filter that are looked at
ACTIVITY_SHOWN = 25  # events a page shows at first; older ones follow as the user scrolls


def activity_filter(actor: str, kind: str, customer_q: str) -> ActivityFilter:
    """The filter the activity page and the API share; ValidationError for a person or kind there is not."""
    errors = {}
    if not is_actor(actor):
        errors["actor"] = _("Choose a member of staff, customer or system.")
    if kind and not event_types.is_filter(kind):
        errors["kind"] = _("Choose a kind such as order.placed, or one of the lists.")
    if errors:
        raise ValidationError(errors)
    customers = None
    if customer_q:
        found, _more = customer_page(CustomerFilter.from_params(q=customer_q), limit=CUSTOMERS_MAX)
        customers = tuple(c.pk for c in found)
    return ActivityFilter(actor=actor, kind=kind, customers=customers)


def activity(request):
    """What happened across all customers, newest first, by day; narrowed to a person, a kind or a customer."""
    actor = request.GET.get("actor", "")
    kind = request.GET.get("kind", "")
    customer_q = (request.GET.get("customer") or "")[:ACTIVITY_CUSTOMER_MAX].strip()
    try:
        f = activity_filter(actor, kind, customer_q)
        rows, next_cursor = activity_page(f, cursor=request.GET.get("cursor") or None, limit=ACTIVITY_SHOWN)
    except (ValidationError, BadCursor):
        return redirect("activity")
    query = urlencode({k: v for k, v in (("actor", actor), ("kind", kind), ("customer", customer_q)) if v})
    context = {
        "events": rows, "next_cursor": next_cursor, "actor": actor, "kind": kind, "customer_q": customer_q,
        "staff": staff_list(), "families": event_types.families(), "query": query,
        "continued": bool(request.GET.get("cursor")),
    }  # fmt: skip
    return render_page(request, "timeline/activity.html", context, partial="rows")
