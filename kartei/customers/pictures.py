"""Customer pictures: checked to be an image, resized, and re-encoded so nothing but pixels is kept.
Each picture gets a new random file name, so a replaced picture is never served from a cache."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from kartei.core.images import NotAPicture, shrunk

MAX_SIDE = 512


def clean_picture(upload) -> ContentFile:
    if upload.size > settings.KARTEI_PICTURE_MAX_BYTES:
        raise ValidationError(
            _("The picture is larger than %(max)d MB. Choose a smaller one."),
            code="too_large",
            params={"max": settings.KARTEI_PICTURE_MAX_BYTES // (1024 * 1024)},
        )
    try:
        picture = shrunk(upload, MAX_SIDE, quality=85)
    except NotAPicture:
        raise ValidationError(
            _("This file is not a picture Kartei can read. Use a JPEG, PNG, WebP or GIF image."), code="invalid"
        ) from None
    return ContentFile(picture.data, name=f"{secrets.token_hex(8)}{picture.extension}")
