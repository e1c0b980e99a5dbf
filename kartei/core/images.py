"""Pictures people upload (customer pictures, product images, photos attached to notes): read only if Pillow knows
them as one of a few formats and they are not absurdly large, turned upright, shrunk and re-encoded, so that nothing
but pixels is kept."""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# MPO is how Pillow names a JPEG with extra frames (depth or HDR gain maps), as many phone cameras save them.
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
PIXELS_MAX = 50_000_000


class NotAPicture(ValueError):
    """Not a picture in one of FORMATS that Pillow can read, or one of more than PIXELS_MAX pixels."""


@dataclass(frozen=True)
class Shrunk:
    data: bytes
    extension: str  # ".png" (kept transparency) or ".jpg"
    content_type: str  # of the picture uploaded


def shrunk(upload, side: int, *, quality: int) -> Shrunk:
    """The picture in `upload` upright and at most `side` pixels wide and high; NotAPicture if it is none."""
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in FORMATS or image.width * image.height > PIXELS_MAX:
            raise NotAPicture
        content_type = FORMATS[image.format]
        image.draft("RGB", (side * 2, side * 2))  # a JPEG is decoded at a fraction of its size
        image.load()
        # Phones store photos sideways with an EXIF orientation; re-encoding drops the EXIF, so turn the pixels
        # upright first.
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise NotAPicture from None
    image.thumbnail((side, side))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return Shrunk(out.getvalue(), ".png", content_type)
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return Shrunk(out.getvalue(), ".jpg", content_type)
