"""Staff comment on a customer's timeline for their colleagues: the text kept and shown exactly as typed (never as
HTML), on the page and through the API; an empty, huge or misplaced comment is refused with the reason and
nothing typed is lost."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kartei.customers import services
from kartei.timeline.models import Comment, Event
from kartei.timeline.services import COMMENT_MAX, comment_add
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>\n  two  spaces & <b>bold</b>'
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_comment_is_kept_as_typed_and_is_on_the_timeline(staff):
    customer = make_customer(name="Bäckerei Müller")

    comment = comment_add(actor=staff, customer=customer, text=HOSTILE)

    assert Comment.objects.get().text == HOSTILE == comment.text
    event = Event.objects.get(kind="comment.added")
    assert (event.customer, event.actor, event.subject, event.body) == (customer, staff, comment, HOSTILE)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write the comment first."), (" \n\t\u200b ", "Write the comment first."),
     ("x" * (COMMENT_MAX + 1), "at most 10000 characters")],
)  # fmt: skip
def test_an_empty_or_huge_comment_is_refused(staff, text, message):
    with pytest.raises(ValidationError, match=message):
        comment_add(actor=staff, customer=make_customer(), text=text)
    assert not Comment.objects.exists() and not Event.objects.filter(kind="comment.added").exists()


def test_a_customer_in_the_trash_takes_no_comments(staff):
    customer = services.customer_delete(customer=make_customer(), actor=staff)

    with pytest.raises(ValidationError, match="in the trash"):
        comment_add(actor=staff, customer=customer, text="Hello")


def test_the_page_shows_a_comment_escaped_and_exactly_as_typed(staff_client):
    customer = make_customer(name="Bäckerei Müller")

    response = staff_client.post(f"/customers/{customer.pk}/comments/", {"text": HOSTILE}, **HTMX)

    assert response.status_code == 200
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "two  spaces &amp; &lt;b&gt;bold&lt;/b&gt;" in page and "wrote a comment" in page


def test_an_empty_comment_on_the_page_says_why_and_a_long_one_keeps_its_text(staff_client):
    customer = make_customer()

    empty = staff_client.post(f"/customers/{customer.pk}/comments/", {"text": "   "}, **HTMX)
    long = staff_client.post(f"/customers/{customer.pk}/comments/", {"text": "Ab " * 4000}, **HTMX)

    assert empty.status_code == 422 and "Write the comment first." in empty.content.decode()
    assert (
        long.status_code == 422
        and ("Ab " * 100) in long.content.decode()
        and 'id="comment-errors"' in long.content.decode()
    )
    assert not Comment.objects.exists()


def test_without_javascript_a_comment_returns_to_the_timeline(staff_client):
    customer = make_customer()

    response = staff_client.post(f"/customers/{customer.pk}/comments/", {"text": "Samples sent"})

    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/#timeline-body"


def test_only_logged_in_staff_comment(db):
    customer = make_customer()

    response = Client().post(f"/customers/{customer.pk}/comments/", {"text": "Hi"})

    assert response.status_code == 302 and "/login/" in response["Location"] and not Comment.objects.exists()


def test_the_api_takes_a_comment_and_lists_it_on_the_timeline(client, api, staff):
    customer = make_customer()

    created = client.post(f"/api/v1/customers/{customer.pk}/comments", {"text": HOSTILE},
                          content_type="application/json", headers=api.headers)  # fmt: skip

    assert created.status_code == 201
    assert created.json()["text"] == HOSTILE and created.json()["author"] == staff.pk
    events = client.get(f"/api/v1/customers/{customer.pk}/events?kind=comment", headers=api.headers).json()
    assert [e["data"]["text"] for e in events["items"]] == [HOSTILE]


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": None}, {"text": 5}, {"text": "x" * 20_001}])
def test_the_api_refuses_a_comment_without_text_with_422(client, api, body):
    customer = make_customer()

    response = client.post(f"/api/v1/customers/{customer.pk}/comments", body, content_type="application/json",
                           headers=api.headers)  # fmt: skip

    assert response.status_code == 422 and not Comment.objects.exists()


def test_the_api_answers_404_for_a_customer_not_there(client, api):
    response = client.post("/api/v1/customers/999999/comments", {"text": "Hi"}, content_type="application/json",
                           headers=api.headers)  # fmt: skip

    assert response.status_code == 404
