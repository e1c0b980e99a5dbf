"""E-mails about mentions, sent by the task worker (`kartei serve` starts one; `kartei db_worker` runs more)."""

from django.urls import reverse
from django_tasks import task

from kartei.accounts.mail import mail_colleague, site_url
from kartei.accounts.queries import display_name

from .models import Mention


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
            "link": site_url(base_url) + reverse("mention_open", args=[mention.pk]),
            "inbox": site_url(base_url) + reverse("mentions"),
        }
        sent += mail_colleague(user, "timeline/email/mention", context)
    return sent
