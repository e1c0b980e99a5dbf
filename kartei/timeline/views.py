"""The Mentions inbox, the list that offers names while a comment is typed after "@", and attached files."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from kartei.core.htmx import render_page
from kartei.core.pagination import BadCursor

from . import queries, services
from .attachments import DOWNLOAD, INLINE_TYPES, PDF
from .models import Attachment, Mention

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
