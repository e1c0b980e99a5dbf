"""Staff give a customer a picture (a logo, a photo from the phone): it is stored upright, small and
re-encoded; a file that is not a picture, or is too big, is refused with a message at the picture field."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kartei.customers import services
from kartei.customers.models import Customer
from kartei.timeline.models import Event
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def image_file(name="logo.png", size=(2000, 1000), fmt="PNG", mode="RGB", colour="red", **save_args):
    """A real image file as a browser uploads it."""
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save_args)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored_image(customer) -> Image.Image:
    customer = Customer.objects.get(pk=customer.pk)
    with customer.picture.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def test_it_stores_a_big_png_scaled_down_to_at_most_512_pixels_keeping_its_shape(staff):
    upload = image_file(size=(2000, 1000))
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    image = stored_image(customer)
    assert image.size == (512, 256)
    assert image.getpixel((10, 10))[:3] == pytest.approx((255, 0, 0), abs=8)


def test_it_stores_a_tall_jpeg_scaled_down_to_512_pixels_high(staff):
    customer = services.customer_create(
        actor=staff, data={"name": "Bäckerei", "picture": image_file("foto.jpg", size=(600, 1200), fmt="JPEG")}
    )
    assert stored_image(customer).size == (256, 512)


def test_it_keeps_a_small_picture_at_its_size(staff):
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": image_file(size=(64, 48))})
    assert stored_image(customer).size == (64, 48)


def test_it_keeps_the_transparency_of_a_logo(staff):
    logo = image_file(size=(800, 800), mode="RGBA", colour=(0, 0, 255, 0))
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": logo})
    image = stored_image(customer)
    assert image.format == "PNG"
    assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_it_accepts_webp_and_gif(staff, fmt):
    upload = image_file(f"bild.{fmt.lower()}", size=(1000, 700), fmt=fmt)
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    assert max(stored_image(customer).size) == 512


def test_it_accepts_a_photo_from_a_phone_camera_saved_as_multi_picture_jpeg(staff):
    # Many phones save a JPEG with extra frames (MPO: depth maps, HDR gain maps); it is still a JPEG.
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "green").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (400, 300), "black")]
    )
    upload = SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    assert stored_image(customer).size == (512, 384)


def test_it_turns_a_phone_photo_upright_as_its_camera_said(staff):
    # The camera stored the pixels sideways (left half red, right half blue) with "rotate 90° clockwise"
    # in the EXIF orientation tag: shown upright, the photo is portrait with red at the top.
    photo = Image.new("RGB", (1200, 600), "blue")
    photo.paste((255, 0, 0), (0, 0, 600, 600))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0002.jpg", buffer.getvalue(), content_type="image/jpeg")
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    image = stored_image(customer)
    assert image.size == (256, 512)
    assert image.getpixel((128, 20))[:3] == pytest.approx((255, 0, 0), abs=30)
    assert image.getpixel((128, 490))[:3] == pytest.approx((0, 0, 255), abs=30)


@pytest.mark.parametrize("fmt, mode", [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")])
def test_it_keeps_nothing_but_the_pixels(staff, fmt, mode):
    exif = Image.Exif()
    exif[0x8825] = {1: "N"}  # GPS info: where the photo was taken
    exif[0x010F] = "Secret Camera Co."
    upload = image_file(f"foto.{fmt.lower()}", size=(300, 200), fmt=fmt, mode=mode, exif=exif)
    assert b"Secret Camera" in upload.read()
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    image = stored_image(customer)
    assert not image.getexif()
    assert b"Secret Camera" not in Customer.objects.get(pk=customer.pk).picture.open("rb").read()


def _text_named_png():
    return SimpleUploadedFile("logo.png", b"Dies ist kein Bild, nur Text.\n" * 20, "image/png")


def _png_header_only():
    return SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")


def _svg():
    return SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")


def _pdf():
    return SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")


def _truncated_jpeg():
    data = image_file("foto.jpg", size=(800, 600), fmt="JPEG").read()
    return SimpleUploadedFile("foto.jpg", data[: len(data) // 3], "image/jpeg")


def _bmp():
    return image_file("bild.bmp", size=(50, 50), fmt="BMP")


def _over_5_mb():
    # A real, readable PNG of random pixels (noise does not compress), just over 5 MB.
    image = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert buffer.tell() > 5 * 1024 * 1024
    return SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")


@pytest.mark.parametrize(
    "make_upload",
    [_text_named_png, _png_header_only, _svg, _pdf, _truncated_jpeg, _bmp],
    ids=["text named .png", "png header only", "svg", "pdf", "truncated jpeg", "bmp"],
)
def test_it_refuses_a_file_that_is_not_a_picture_it_can_read(staff, make_upload):
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": make_upload()})
    [problem] = error.value.error_dict["picture"]
    assert problem.code == "invalid"
    assert list(error.value.error_dict) == ["picture"]
    assert not Customer.objects.exists()


def test_it_refuses_a_picture_over_5_mb(staff):
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": _over_5_mb()})
    [problem] = error.value.error_dict["picture"]
    assert problem.code == "too_large"
    assert "5 MB" in str(problem.message % problem.params)
    assert not Customer.objects.exists()


def test_it_accepts_a_picture_of_exactly_5_mb(staff, settings):
    upload = image_file(size=(100, 100))
    settings.KARTEI_PICTURE_MAX_BYTES = upload.size
    customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": upload})
    assert Customer.objects.get(pk=customer.pk).picture


def test_it_replaces_the_picture_and_records_the_change(staff):
    customer = make_customer(staff, name="Bäckerei", picture=image_file(colour="red"))
    services.customer_update(customer=customer, actor=staff, data={"picture": image_file(colour="blue")})
    customer.refresh_from_db()
    assert customer.picture.storage.listdir("customers")[1] == [customer.picture.name.split("/")[-1]]  # old one gone
    assert stored_image(customer).getpixel((5, 5))[:3] == pytest.approx((0, 0, 255), abs=8)
    assert "picture" in Event.objects.get(customer=customer, kind="customer.updated").data["changes"]


def test_it_removes_the_picture_when_asked(staff):
    customer = make_customer(staff, name="Bäckerei", picture=image_file())
    old_name = Customer.objects.get(pk=customer.pk).picture.name
    services.customer_update(customer=customer, actor=staff, data={"remove_picture": True})
    customer.refresh_from_db()
    assert not customer.picture
    assert not customer.picture.storage.exists(old_name)


@pytest.mark.parametrize("make_bad", [_text_named_png, _over_5_mb], ids=["not a picture", "over 5 MB"])
def test_it_keeps_the_old_picture_when_the_new_one_is_refused(staff, make_bad):
    customer = make_customer(staff, name="Bäckerei", picture=image_file(colour="red"))
    before = Customer.objects.values().get(pk=customer.pk)
    bad = make_bad()
    with pytest.raises(ValidationError) as error:
        services.customer_update(customer=customer, actor=staff, data={"picture": bad, "name": "Neu"})
    assert list(error.value.error_dict) == ["picture"]
    assert Customer.objects.values().get(pk=customer.pk) == before
    assert stored_image(customer).getpixel((5, 5))[:3] == pytest.approx((255, 0, 0), abs=8)
