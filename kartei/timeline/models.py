from django.conf import settings
from django.db import models


class Event(models.Model):
    """One thing that happened with a customer: the timeline is the list of these, newest first."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="event_customer_time")]

    def __str__(self):
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"
