"""The customers page is the home page: above the whole list, the replies nobody has read, the newest
high-priority notes and the latest activity. Searching or filtering shows the list alone."""

import pytest

from kartei.messaging.services import reply_add
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_home_page_shows_what_needs_attention(staff, staff_client):
    mueller = make_customer(staff, name="Bäckerei Müller", email="info@mueller.de")
    make_note(mueller, staff, text="<i>Call back</i> about the invoice", priority="high")
    make_note(mueller, staff, text="Sent samples", priority="none")
    reply_add(customer=mueller, text="Wann kommt die <b>Lieferung</b>?")

    page = staff_client.get("/customers/").content.decode()
    assert 'hx-get="/customers/home/" hx-trigger="load"' in page  # fetched once the list is shown
    home = staff_client.get("/customers/home/", **HTMX).content.decode()

    assert "Wann kommt die &lt;b&gt;Lieferung&lt;/b&gt;?" in home and f"/customers/{mueller.pk}/messages/" in home
    assert "&lt;i&gt;Call back&lt;/i&gt; about the invoice" in home and "Sent samples" not in home
    assert "The customer replied" in home and 'href="/activity/"' in home


def test_an_empty_home_says_so_and_a_search_shows_the_list_alone(staff, staff_client):
    make_customer(staff, name="Bäckerei Müller")
    home = staff_client.get("/customers/home/", **HTMX).content.decode()
    assert "Nothing unread." in home and "No high-priority notes." in home

    for query in ("q=müller", "status=current", "active=0"):
        assert "/customers/home/" not in staff_client.get(f"/customers/?{query}").content.decode()
        assert "/customers/home/" not in staff_client.get(f"/customers/?{query}", **HTMX).content.decode()
    assert "/customers/home/" in staff_client.get("/customers/?q=", **HTMX).content.decode()


def test_an_empty_customer_file_shows_only_the_welcome(staff_client):
    page = staff_client.get("/customers/").content.decode()
    assert "No customers yet" in page and "/customers/home/" not in page
