"""Notes on the customer page, added, edited and deleted in place (htmx) or with plain forms."""

import pytest

from kartei.customers.models import Note
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_it_adds_a_note_and_answers_with_the_notes_in_priority_order(staff_client):
    customer = make_customer(name="Notiz GmbH")
    make_note(customer, text="Old medium", priority="medium")
    make_note(customer, text="Plain", priority="none")
    response = staff_client.post(
        f"/customers/{customer.pk}/notes/", {"text": "Urgent: call back", "priority": "high"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.index("Urgent: call back") < html.index("Old medium") < html.index("Plain")
    assert "anna" in html, "the author is shown"
    assert 'id="timeline-body" hx-swap-oob="true"' in html and "added a note" in html, "the timeline follows"


def test_it_keeps_the_text_when_the_note_is_refused(staff_client):
    customer = make_customer(name="Notiz GmbH")
    response = staff_client.post(f"/customers/{customer.pk}/notes/", {"text": "   ", "priority": "high"}, headers=HTMX)
    assert response.status_code == 422
    assert "Write something in the note." in response.content.decode()
    response = staff_client.post(f"/customers/{customer.pk}/notes/", {"text": "Hi", "priority": "urgent"}, headers=HTMX)
    assert response.status_code == 422 and ">Hi</textarea>" in response.content.decode()
    assert not Note.objects.exists()


def test_it_edits_and_deletes_a_note(staff_client):
    customer = make_customer(name="Notiz GmbH")
    note = make_note(customer, text="First draft")
    form = staff_client.get(f"/customers/{customer.pk}/notes/{note.pk}/edit/", headers=HTMX).content.decode()
    assert "First draft</textarea>" in form
    staff_client.post(
        f"/customers/{customer.pk}/notes/{note.pk}/edit/", {"text": "Final", "priority": "medium"}, headers=HTMX
    )
    note.refresh_from_db()
    assert (note.text, note.priority) == ("Final", "medium")
    html = staff_client.post(f"/customers/{customer.pk}/notes/{note.pk}/delete/", headers=HTMX).content.decode()
    assert "No notes yet." in html
    assert not Note.objects.exists()


def test_a_note_of_another_customer_cannot_be_reached_through_this_one(staff_client):
    mine, other = make_customer(name="Mine"), make_customer(name="Other")
    note = make_note(other, text="Private")
    assert staff_client.post(f"/customers/{mine.pk}/notes/{note.pk}/delete/").status_code == 404
    assert Note.objects.filter(pk=note.pk).exists()


def test_note_html_is_shown_as_text(staff_client):
    customer = make_customer(name="XSS GmbH")
    make_note(customer, text="<script>alert(1)</script>")
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cancelling_an_edit_shows_the_note_as_it_was_with_the_focus_on_its_edit_button(staff_client):
    customer, other = make_customer(name="Notiz GmbH"), make_customer(name="Other")
    note = make_note(customer, text="Unchanged")
    html = staff_client.get(f"/customers/{customer.pk}/notes/{note.pk}/", headers=HTMX).content.decode()
    assert "Unchanged" in html and "<html" not in html and "autofocus" in html
    plain = staff_client.get(f"/customers/{customer.pk}/notes/{note.pk}/")
    assert plain.status_code == 302 and plain.url == f"/customers/{customer.pk}/"
    assert staff_client.get(f"/customers/{other.pk}/notes/{note.pk}/", headers=HTMX).status_code == 404
    assert staff_client.get(f"/customers/{customer.pk}/notes/99999999999/", headers=HTMX).status_code == 404
