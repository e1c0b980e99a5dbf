"""The confirmation e-mail a customer gets for an order placed through their quick-order link, in their language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def send_confirmation(order) -> bool:
    """Mail the order's confirmation to its customer, if they have an address. Whether a mail went out."""
    customer = order.customer
    if not customer.email:
        return False
    with translation.override(customer.writing_language):
        subject = _("Your order %(number)s at %(business)s") % {"number": order.number,
                                                                "business": settings.KARTEI_BUSINESS_NAME}  # fmt: skip
        context = {"order": order, "customer": customer, "business": settings.KARTEI_BUSINESS_NAME}
        body = render_to_string("portal/email/confirmation.txt", context)
    send_mail(subject, body, None, [customer.email], fail_silently=True)
    return True
