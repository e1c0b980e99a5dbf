"""The customer page shows the timeline newest first, the next events loading as the user scrolls to its end, and
narrows it to one kind of event (orders, notes, …); however long the history, a page of it costs the same."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kartei.timeline import actors
from kartei.timeline.models import Event
from kartei.timeline.services import event_record
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def customer(staff):
    """A customer with 45 events a minute apart: created, then 30 deactivations and 14 notes, alternating."""
    customer = make_customer(staff, name="Bäckerei Müller")
    start = timezone.now()
    for n in range(44):
        if n % 3 == 2:
            make_note(customer, staff, text=f"Note {n}")
        else:
            event_record(customer=customer, kind="customer.deactivated", actor=actors.SYSTEM)
    for age, event in enumerate(Event.objects.filter(customer=customer).order_by("-id"), start=1):
        Event.objects.filter(pk=event.pk).update(created_at=start - timedelta(minutes=age))
    return customer


def shown(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)"', html)


def older_link(html: str) -> str | None:
    found = re.search(r'hx-get="([^"]+cursor=[^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_page_shows_the_newest_events_and_the_rest_load_page_by_page(staff_client, customer):
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    seen, link = shown(page.split('id="timeline-events"')[1]), older_link(page)
    assert len(seen) == 20 and 'hx-trigger="click, revealed"' in page
    while link:
        more = staff_client.get(link, **HTMX).content.decode()
        seen += shown(more)
        link = older_link(more)

    expected = [
        timezone.localtime(e.created_at).isoformat()
        for e in Event.objects.filter(customer=customer).order_by("-created_at")
    ]
    assert len(seen) == 45 and [s[:19] for s in seen] == [e[:19] for e in expected]


def test_the_timeline_narrows_to_one_kind_and_its_pages_keep_to_it(staff_client, customer):
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert re.search(r'<option value="note">Notes</option>', page) and '<option value="order">' in page

    notes = staff_client.get(f"/customers/{customer.pk}/", {"kind": "note"}, **HTMX).content.decode()

    assert notes.count("added a note") == 14 and "deactivated" not in notes and older_link(notes) is None
    deactivations = staff_client.get(f"/customers/{customer.pk}/", {"kind": "customer"}, **HTMX).content.decode()
    assert "added a note" not in deactivations
    following = staff_client.get(older_link(deactivations), **HTMX).content.decode()
    assert "deactivated the customer" in following and "added a note" not in following


def test_without_javascript_the_filter_and_older_events_are_ordinary_links(staff_client, customer):
    page = staff_client.get(f"/customers/{customer.pk}/", {"kind": "note"}).content.decode()

    assert '<option value="note" selected>' in page and "<noscript>" in page
    assert page.count("added a note") == 14


@pytest.mark.parametrize("params", [{"kind": "nonsense"}, {"cursor": "damaged"}, {"kind": "note", "cursor": "x"}])
def test_a_wrong_kind_or_page_link_shows_the_timeline_from_its_start(staff_client, customer, params):
    partial = staff_client.get(f"/customers/{customer.pk}/", params, **HTMX)
    page = staff_client.get(f"/customers/{customer.pk}/", params)

    assert partial.status_code == 200 and len(shown(partial.content.decode())) > 0
    assert page.status_code in (200, 302)


def test_a_customer_with_a_long_history_opens_with_a_few_queries(staff_client, customer, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert staff_client.get(f"/customers/{customer.pk}/").status_code == 200
    other = make_customer(name="Nobody yet")
    assert "added the customer" in staff_client.get(f"/customers/{other.pk}/").content.decode()
