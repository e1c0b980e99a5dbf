from django import forms
from django.utils.translation import gettext_lazy as _

from .services import BODY_MAX, SUBJECT_MAX


class MessageForm(forms.Form):
    """What staff write to a customer; the service checks it (messaging.services.message_send)."""

    subject = forms.CharField(label=_("Subject"), required=False, max_length=100_000,
                              widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}))  # fmt: skip
    body = forms.CharField(label=_("Message"), required=False, max_length=1_000_000,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}))  # fmt: skip
