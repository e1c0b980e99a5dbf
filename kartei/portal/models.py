"""A customer's personal no-login link to their quick-order page. Only a hash of its token is stored: whoever
reads the database cannot open anyone's page."""

from django.conf import settings
from django.db import models

from kartei.customers.models import Customer


class QuickOrderLink(models.Model):
    """The customer's one link; a new one replaces it (the old one stops working), revoking deletes it."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="quick_order_link")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, hex
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)  # when the customer last ordered through it

    def __str__(self):
        return f"quick-order link of customer {self.customer_id}"
