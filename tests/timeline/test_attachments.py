"""Files on notes and comments: kept under random names outside the public paths, served only to staff who are
logged in, pictures shown with a thumbnail, PDFs in the browser, everything else only as a download; a file over
the limit or an empty one is refused with its name, and a deleted note takes its files along."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kartei.customers import services
from kartei.customers.models import Note
from kartei.timeline.models import Attachment, Comment, Event
from kartei.timeline.services import comment_add
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def picture(name="photo.jpg", size=(1200, 800), mode="RGB", fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def stored_files(settings) -> list[str]:
    root = settings.KARTEI_ATTACHMENTS_ROOT
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files)


def test_a_note_keeps_its_files_under_random_names(staff_client, settings):
    customer = make_customer()
    files = [picture(), SimpleUploadedFile("../../etc/passwd", b"root:x:0:0"), SimpleUploadedFile("offer.pdf", PDF)]

    typed = {"text": "Photos of the shop", "priority": "none", "files": files}

    response = staff_client.post(f"/customers/{customer.pk}/notes/", typed, **HTMX)

    assert response.status_code == 200
    note = Note.objects.get()
    kept = {a.name: a for a in note.attachments.all()}
    assert set(kept) == {"photo.jpg", "passwd", "offer.pdf"}
    assert (kept["photo.jpg"].content_type, kept["passwd"].content_type, kept["offer.pdf"].content_type) == (
        "image/jpeg", "application/octet-stream", "application/pdf"
    )  # fmt: skip
    assert kept["photo.jpg"].is_image and not kept["offer.pdf"].is_image
    assert len(stored_files(settings)) == 4  # three files and a thumbnail
    assert not any("passwd" in path or "photo" in path or ".." in path for path in stored_files(settings))
    page = response.content.decode()
    assert f'src="/attachments/{kept["photo.jpg"].pk}/thumbnail/"' in page and "passwd" in page


def test_files_are_served_to_staff_only_and_only_pictures_and_pdfs_open_in_the_browser(staff_client, staff):
    customer = make_customer()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    files = [
        picture(),
        SimpleUploadedFile("page.html", HTML, content_type="text/html"),
        SimpleUploadedFile("offer.pdf", PDF),
        SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml"),
    ]
    note = services.note_create(customer=customer, actor=staff, text="Files", files=files)
    kept = {a.name: a.pk for a in note.attachments.all()}

    html = staff_client.get(f"/attachments/{kept['page.html']}/")
    svg = staff_client.get(f"/attachments/{kept['logo.svg']}/")
    pdf = staff_client.get(f"/attachments/{kept['offer.pdf']}/")
    photo = staff_client.get(f"/attachments/{kept['photo.jpg']}/")
    thumbnail = staff_client.get(f"/attachments/{kept['photo.jpg']}/thumbnail/")

    for download, name in ((html, "page.html"), (svg, "logo.svg")):
        assert download["Content-Type"] == "application/octet-stream"
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert "sandbox" in download["Content-Security-Policy"]
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    assert photo["Content-Type"] == "image/jpeg" and b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    assert Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).size == (320, 213)
    assert staff_client.get(f"/attachments/{kept['offer.pdf']}/thumbnail/").status_code == 404
    assert staff_client.get("/attachments/99999/").status_code == 404
    stranger = Client().get(f"/attachments/{kept['offer.pdf']}/")
    assert stranger.status_code == 302 and stranger["Location"].startswith("/login/")


def test_a_file_over_the_limit_is_refused_by_name_and_the_note_is_kept_for_another_try(staff_client, settings):
    settings.KARTEI_ATTACHMENT_MAX_BYTES = 1000
    customer = make_customer()

    files = [SimpleUploadedFile("scan.tif", b"x" * 1001), SimpleUploadedFile("e.txt", b"")]

    response = staff_client.post(f"/customers/{customer.pk}/notes/", {"text": "Big one", "priority": "high",
                                                                      "files": files}, **HTMX)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 422
    assert "scan.tif is larger than 1000\xa0bytes. Attach a smaller file." in page and "e.txt is empty." in page
    assert "Big one</textarea>" in page
    assert not Note.objects.exists() and stored_files(settings) == []


def test_a_comment_may_be_only_files_and_shows_them_on_the_timeline(staff_client, settings):
    customer = make_customer()

    response = staff_client.post(f"/customers/{customer.pk}/comments/", {"text": "", "files": [picture("a<b>.jpg")]},
                                 **HTMX)  # fmt: skip

    assert response.status_code == 200
    attachment = Comment.objects.get().attachments.get()
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert f'<img src="/attachments/{attachment.pk}/thumbnail/" alt="a&lt;b&gt;.jpg"' in page


def test_deleting_a_note_or_purging_the_customer_deletes_the_files(staff, settings, django_capture_on_commit_callbacks):
    customer = make_customer()
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(customer=customer, actor=staff, text="x", files=[picture()])
        comment_add(actor=staff, customer=customer, text="y", files=[SimpleUploadedFile("a.pdf", PDF)])
    assert len(stored_files(settings)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        services.note_delete(note=note, actor=staff)
    assert len(stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        customer.delete()
    assert stored_files(settings) == [] and not Attachment.objects.exists()


def test_too_many_files_at_once_are_refused(staff):
    files = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(11)]

    with pytest.raises(ValidationError, match="at most 10 files"):
        comment_add(actor=staff, customer=make_customer(), text="Files", files=files)
    assert not Comment.objects.exists()


def test_the_api_attaches_lists_and_serves_files(api, staff):
    customer = make_customer()
    note = services.note_create(customer=customer, actor=staff, text="Offer")
    comment = comment_add(actor=staff, customer=customer, text="See the offer")

    to_note = api._call("post", f"/notes/{note.pk}/attachments", None)
    attached = api.client.post(f"/api/v1/notes/{note.pk}/attachments", {"files": [SimpleUploadedFile("o.pdf", PDF)]},
                               headers=api.headers)  # fmt: skip
    on_comment = api.client.post(f"/api/v1/comments/{comment.pk}/attachments",
                                 {"files": [SimpleUploadedFile("p.html", HTML)]}, headers=api.headers)  # fmt: skip

    assert to_note.status_code == 422
    assert attached.status_code == 201 and attached.json()[0]["name"] == "o.pdf"
    (file,) = api.get(f"/customers/{customer.pk}/notes").json()[0]["attachments"]
    assert file["content_type"] == "application/pdf" and file["size"] == len(PDF)
    served = api.get(file["url"].removeprefix("/api/v1"))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert on_comment.status_code == 201 and on_comment.json()[0]["content_type"] == "application/octet-stream"
    assert Event.objects.filter(kind="attachment.added").count() == 2
    assert api.get("/attachments/99999").status_code == 404
