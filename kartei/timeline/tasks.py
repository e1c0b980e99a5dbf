"""E-mails about mentions, sent by the task worker (`kartei serve` starts one; `kartei db_worker` runs more)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from kartei.accounts.queries import display_name

from .models import Mention

log = logging.getLogger(__name__)


@task()
def mention_mails(mention_ids: list[int], *, base_url: str = "") -> int:
    """Tell each colleague mentioned by e-mail, in their language, unless they turned it off, have no address,
    have left, or have read the comment meanwhile. How many e-mails went out."""
    mentions = Mention.objects.filter(
        pk__in=mention_ids, read_at__isnull=True, user__is_active=True, user__staff_profile__mention_email=True
    ).exclude(user__email="")
    sent = 0
    for mention in mentions.select_related("user__staff_profile", "comment__customer", "comment__author"):
        comment, user = mention.comment, mention.user
        context = {
            "name": display_name(user),
            "author": display_name(comment.author) if comment.author else "",
            "customer": comment.customer.name,
            "text": comment.text,
            "link": base_url.rstrip("/") + reverse("mention_open", args=[mention.pk]),
            "inbox": base_url.rstrip("/") + reverse("mentions"),
        }
        with translation.override(user.staff_profile.language or settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string("timeline/email/mention_subject.txt", context).split())
            body = render_to_string("timeline/email/mention.txt", context)
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # the mention is in the inbox all the same
            log.exception("The e-mail about mention %s could not be sent.", mention.pk)
        else:
            sent += 1
    return sent
