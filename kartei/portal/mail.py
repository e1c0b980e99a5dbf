"""The confirmation e-mail a customer gets for an order placed through their quick-order link, in their language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kartei.customers.models import Language


def send_confirmation(order) -> bool:
    """Mail the order's confirmation to its customer, if they have an address. Whether a mail went out."""
    customer = order.customer
    if not customer.email:
        return False
    language = customer.preferred_language if customer.preferred_language in Language.values else None
    with translation.override(language or settings.KARTEI_CATALOG_LANGUAGE):
        subject = _("Your order %(number)s at %(business)s") % {"number": order.number,
                                                                "business": settings.KARTEI_BUSINESS_NAME}  # fmt: skip
        context = {"order": order, "customer": customer, "business": settings.KARTEI_BUSINESS_NAME}
        body = render_to_string("portal/email/confirmation.txt", context)
    send_mail(subject, body, None, [customer.email], fail_silently=True)
    return True
