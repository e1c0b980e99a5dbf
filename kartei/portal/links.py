"""Staff make and revoke a customer's quick-order link from the customer's page."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kartei.customers.models import Customer

from . import services


def link_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("portal:catalog", args=[token]))


def _expiry(text: str):
    """The end of the day a date names, in the business's time zone; None for no date, ValueError for a bad one."""
    if not text:
        return None
    day = datetime.fromisoformat(text).date()
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


@require_POST
@never_cache
def link_create(request, pk: int):
    """Make the customer's link (replacing the one they had) and show it, this once."""
    customer = get_object_or_404(Customer, pk=pk, deleted_at__isnull=True)
    try:
        token = services.link_create(actor=request.user, customer=customer,
                                     expires_at=_expiry(request.POST.get("expires", "").strip()))  # fmt: skip
    except ValueError:
        messages.error(request, _("Enter the expiry as a date, such as 2026-12-31."))
        return redirect("customers:detail", pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("customers:detail", pk=pk)
    return render(request, "portal/link_created.html", {"customer": customer, "url": link_url(request, token)})


@require_POST
def link_revoke(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    if services.link_revoke(actor=request.user, customer=customer):
        messages.success(request, _("The quick-order link of %(name)s no longer works.") % {"name": customer.name})
    return redirect("customers:detail", pk=pk)
