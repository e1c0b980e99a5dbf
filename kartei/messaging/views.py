"""Staff and messages: writing to a customer, a customer's conversation, and the replies waiting across all
customers (unread, or from an unknown address to review)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kartei.core.errors import errors_to_form
from kartei.core.htmx import htmx_done, render_page
from kartei.core.pagination import BadCursor
from kartei.customers.models import Customer

from . import queries, services
from .forms import MessageForm
from .models import Message


def _customer(pk: int) -> Customer:
    return get_object_or_404(Customer, pk=pk, deleted_at__isnull=True)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def card(request, pk: int):
    """The Messages card alone (htmx refreshes it once a message is sent)."""
    return render(request, "messaging/_card.html", queries.conversation_card(_customer(pk)))


def message_new(request, pk: int):
    """Write to the customer: a dialog over the page (htmx) or a page of its own."""
    customer = _customer(pk)
    form = MessageForm(request.POST or None)
    form.fields["subject"].widget.attrs["autofocus"] = True  # the dialog opens there
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(actor=request.user, customer=customer, subject=form.cleaned_data["subject"],
                                  body=form.cleaned_data["body"], base_url=_base_url(request))  # fmt: skip
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            sent = _("The message to %(name)s is on its way.") % {"name": customer.name}
            if request.htmx:
                return htmx_done(events={"customers-changed": None, "messages-changed": None, "kartei:toast": sent})
            messages.success(request, sent)
            return redirect("messaging:conversation", pk=customer.pk)
    context = {"customer": customer, "form": form}
    return render_page(request, "messaging/message_new.html", context, partial="dialog",
                       status=422 if form.errors else 200)  # fmt: skip


def conversation(request, pk: int):
    """Every message to and from the customer, newest first; opening it marks their replies read."""
    customer = _customer(pk)
    try:
        rows, next_cursor = queries.conversation_page(customer.pk, cursor=request.GET.get("cursor"))
    except BadCursor:
        return redirect("messaging:conversation", pk=pk)
    context = {"customer": customer, "conversation": rows, "next_cursor": next_cursor, "form": MessageForm()}
    if not request.GET.get("cursor"):
        services.conversation_read(customer=customer)
    return render_page(request, "messaging/conversation.html", context, partial="rows")


def _message(pk: int, message_id: int) -> Message:
    return get_object_or_404(Message.objects.select_related("conversation__customer"), pk=message_id,
                             conversation__customer_id=pk, conversation__customer__deleted_at__isnull=True)  # fmt: skip


def _back(request, pk: int):
    """Back to the customer page or the conversation, wherever the button was."""
    if request.POST.get("back") == "conversation":
        return redirect("messaging:conversation", pk=pk)
    return redirect(reverse("customers:detail", args=[pk]) + "#customer-messages")


@require_POST
def message_retry(request, pk: int, message_id: int):
    message = _message(pk, message_id)
    if services.message_retry(actor=request.user, message=message, base_url=_base_url(request)):
        messages.success(request, _("The message “%(subject)s” is being sent again.") % {"subject": message.subject})
    return _back(request, pk)


@require_POST
def reply_links_stop(request, pk: int):
    customer = _customer(pk)
    stopped = services.reply_links_stop(actor=request.user, customer=customer)
    if stopped:
        messages.success(request, _("The reply links of the messages sent to %(name)s so far no longer work.")
                         % {"name": customer.name})  # fmt: skip
    return redirect("messaging:conversation", pk=pk)


def inbox(request):
    """Replies across all customers: those nobody has read yet, or those to review."""
    held = request.GET.get("show") == "review"
    try:
        rows, next_cursor = queries.inbox_page(held=held, cursor=request.GET.get("cursor"))
    except BadCursor:
        return redirect("messaging:inbox")
    context = {"replies": rows, "next_cursor": next_cursor, "review": held, "held_count": queries.replies_held()}
    return render_page(request, "messaging/inbox.html", context, partial="rows")


@require_POST
def reply_review(request, message_id: int):
    """Accept a reply held for review into its customer's conversation, or delete it."""
    message = get_object_or_404(Message.objects.select_related("conversation__customer"), pk=message_id)
    name = message.conversation.customer.name
    if request.POST.get("action") == "accept":
        if services.reply_accept(actor=request.user, message=message, base_url=_base_url(request)):
            messages.success(request, _("The reply is now in the conversation with %(name)s.") % {"name": name})
    elif services.reply_discard(actor=request.user, message=message):
        messages.success(request, _("The reply was deleted."))
    return redirect(reverse("messaging:inbox") + "?show=review")
