"""Customer pictures: checked to be an image, resized, and re-encoded so nothing but pixels is kept.
Each picture gets a new random file name, so a replaced picture is never served from a cache."""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 512
# MPO is how Pillow names a JPEG with extra frames (depth or HDR gain maps), as many phone cameras save them.
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}


def clean_picture(upload) -> ContentFile:
    if upload.size > settings.KARTEI_PICTURE_MAX_BYTES:
        raise ValidationError(
            _("The picture is larger than %(max)d MB. Choose a smaller one."),
            code="too_large",
            params={"max": settings.KARTEI_PICTURE_MAX_BYTES // (1024 * 1024)},
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED:
            raise UnidentifiedImageError
        if image.width * image.height > 50_000_000:
            raise UnidentifiedImageError
        image.load()
        # Phones store photos sideways with an EXIF orientation; re-encoding drops the EXIF, so turn the
        # pixels upright first.
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture Kartei can read. Use a JPEG, PNG, WebP or GIF image."), code="invalid"
        ) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.png")
    image.convert("RGB").save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")
