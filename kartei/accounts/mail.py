"""E-mails to colleagues (a mention, a customer's reply), sent by the task worker: in each colleague's language,
with links to the site's address."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


def site_url(base_url: str = "") -> str:
    """The site's address for links in e-mails: KARTEI_BASE_URL, else the address the page that caused the
    e-mail was opened at, without a trailing slash."""
    return (settings.KARTEI_BASE_URL or base_url).rstrip("/")


def mail_colleague(user, template: str, context: dict) -> bool:
    """E-mail `user` in their language: the subject from `template`_subject.txt, the text from `template`.txt.
    Whether it went out; a failure is logged (what it tells of is in Kartei all the same)."""
    with translation.override(user.staff_profile.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the mail server refused or could not be reached
        log.exception("The e-mail %s to %s could not be sent.", template, user.get_username())
        return False
    return True
