"""Files attached to notes, comments and messages: checked, stored under random names, their kind read from the content.

An image (JPEG, PNG, WebP, GIF that Pillow can read) gets a thumbnail and is shown in the page; a PDF opens in the
browser; anything else (HTML, SVG, an executable, a text file) is only ever served as a download. The name the
user's computer gave the file is kept for display, never used as a path."""

import posixpath
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.core.images import FORMATS, NotAPicture, Shrunk, shrunk
from kartei.core.validation import single_line

from .actors import actor_user
from .models import Attachment

FILES_MAX = 10  # on one note or comment
THUMBNAIL_SIDE = 320
NAME_MAX = 255
PDF = "application/pdf"
INLINE_TYPES = {*FORMATS.values(), PDF}  # shown in the browser; everything else is a download
DOWNLOAD = "application/octet-stream"


def files_check(files) -> list:
    """The uploaded files if each may be kept, else ValidationError({"files": ...}) naming every one that may not."""
    files = list(files)
    if len(files) > FILES_MAX:
        raise ValidationError({"files": _("Attach at most %(max)d files at a time.") % {"max": FILES_MAX}})
    limit = settings.KARTEI_ATTACHMENT_MAX_BYTES
    problems = []
    for upload in files:
        if upload.size > limit:
            problems.append(_("%(name)s is larger than %(max)s. Attach a smaller file.")
                            % {"name": display_name(upload.name), "max": filesizeformat(limit)})  # fmt: skip
        elif upload.size == 0:
            problems.append(_("%(name)s is empty.") % {"name": display_name(upload.name)})
    if problems:
        raise ValidationError({"files": problems})
    return files


def display_name(raw) -> str:
    """The file's name as shown: its last path part, on one line, at most NAME_MAX characters with its extension."""
    try:
        name = single_line(str(raw or "")).replace("\\", "/")
    except ValidationError:
        name = ""
    name = posixpath.basename(name).strip(" .") or _("file")
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:20] if dot else ""
        name = (stem if dot else name)[: NAME_MAX - len(extension) - 1] + ("." + extension if extension else "")
    return name


def _stored_name(extension: str = "") -> str:
    return f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


def _thumbnail(upload) -> Shrunk | None:
    try:
        return shrunk(upload, THUMBNAIL_SIDE, quality=80)
    except NotAPicture:
        return None


def _content_type(upload, thumbnail: Shrunk | None) -> str:
    if thumbnail is not None:
        return thumbnail.content_type
    upload.seek(0)
    return PDF if upload.read(5) == b"%PDF-" else DOWNLOAD


def attachments_add(*, actor, files, note=None, comment=None, message=None) -> list[Attachment]:
    """Keep `files` (checked with files_check) with a note, a comment or a message, in the caller's transaction;
    call it last there. Should it fail, the files it wrote are removed again."""
    owner = note or comment or message
    kept, written = [], []
    storage = Attachment._meta.get_field("file").storage
    customer_id = owner.conversation.customer_id if message is not None else owner.customer_id
    try:
        for upload in files:
            thumbnail = _thumbnail(upload)
            attachment = Attachment(
                customer_id=customer_id, note=note, comment=comment, message=message, name=display_name(upload.name),
                content_type=_content_type(upload, thumbnail), size=upload.size, uploaded_by=actor_user(actor),
            )  # fmt: skip
            upload.seek(0)
            attachment.file.save(_stored_name(), upload, save=False)
            written.append(attachment.file.name)
            if thumbnail is not None:
                attachment.thumbnail.save(_stored_name(thumbnail.extension), ContentFile(thumbnail.data), save=False)
                written.append(attachment.thumbnail.name)
            kept.append(attachment)
        Attachment.objects.bulk_create(kept)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return kept


@receiver(post_delete, sender=Attachment)
def _delete_files(sender, instance: Attachment, **kwargs) -> None:
    """A deleted note, comment or customer takes its files along, once the deletion has committed."""
    names = [f.name for f in (instance.file, instance.thumbnail) if f]
    storage = instance.file.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)
