"""The customers page is the home page: above the unfiltered list, what needs attention now. The replies nobody
has read, the newest high-priority notes, and the latest activity; a few of each, every one an index walk."""

from kartei.messaging.queries import inbox_page
from kartei.timeline.activity import ActivityFilter, activity_page

from .models import Note, Priority

SHOWN = 4  # of each


def home() -> dict:
    replies, more_replies = inbox_page(limit=SHOWN)
    notes = list(
        Note.objects.filter(priority=Priority.HIGH, customer__deleted_at__isnull=True)
        .select_related("customer")
        .order_by("-created_at", "-id")[: SHOWN + 1]
    )
    activity, _more = activity_page(ActivityFilter(), limit=SHOWN)
    return {
        "home_replies": replies, "home_more_replies": bool(more_replies), "home_notes": notes[:SHOWN],
        "home_more_notes": len(notes) > SHOWN, "home_activity": activity,
    }  # fmt: skip
