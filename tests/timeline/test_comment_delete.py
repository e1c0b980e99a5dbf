"""Whoever wrote a comment can delete it, with its files and mentions: its text leaves the timeline, an event says
a comment was deleted. Nobody else can, through the page or the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kartei.accounts.services import api_token_create
from kartei.timeline.models import Attachment, Comment, Event, Mention
from kartei.timeline.services import comment_add
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def comment(staff, django_capture_on_commit_callbacks):
    UserFactory(username="bea")
    return comment_add(actor=staff, customer=make_customer(name="Bäckerei Müller"), text="@bea secret price: 4.20",
                       files=[SimpleUploadedFile("offer.pdf", b"%PDF-1.4 offer")])  # fmt: skip


def test_the_author_deletes_a_comment_with_its_files_and_its_text_leaves_the_timeline(
    staff_client, comment, settings, django_capture_on_commit_callbacks
):
    stored = settings.KARTEI_ATTACHMENTS_ROOT / Attachment.objects.get().file.name
    page = staff_client.get(f"/customers/{comment.customer_id}/").content.decode()
    assert f"/comments/{comment.pk}/delete/" in page and "Delete this comment with its files?" in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(f"/customers/{comment.customer_id}/comments/{comment.pk}/delete/", **HTMX)

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "secret price" not in html and "deleted a comment" in html
    assert not Comment.objects.exists() and not Mention.objects.exists() and not Attachment.objects.exists()
    assert not stored.exists()
    assert list(Event.objects.values_list("kind", flat=True).order_by("id")) == ["customer.created", "comment.deleted"]


def test_nobody_else_can_delete_it_nor_sees_the_button(comment):
    bea = Client()
    bea.force_login(UserFactory(username="carl"))
    assert f"/comments/{comment.pk}/delete/" not in bea.get(f"/customers/{comment.customer_id}/").content.decode()
    assert bea.post(f"/customers/{comment.customer_id}/comments/{comment.pk}/delete/").status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_of_another_customer_or_none_at_all_is_not_found(staff_client, comment):
    other = make_customer(name="Andere")
    assert staff_client.post(f"/customers/{other.pk}/comments/{comment.pk}/delete/").status_code == 404
    assert staff_client.post(f"/customers/{comment.customer_id}/comments/999999/delete/").status_code == 404
    assert staff_client.get(f"/customers/{comment.customer_id}/comments/{comment.pk}/delete/").status_code == 405
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_through_the_api(api, comment):
    other = UserFactory(username="dora")
    not_hers = Client().delete(f"/api/v1/comments/{comment.pk}",
                               headers={"Authorization": f"Bearer {api_token_create(user=other)}"})  # fmt: skip
    assert not_hers.status_code == 403
    assert api.delete(f"/comments/{comment.pk}").status_code == 204
    assert api.delete(f"/comments/{comment.pk}").status_code == 404
    assert not Comment.objects.exists()
