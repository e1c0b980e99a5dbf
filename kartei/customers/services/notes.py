"""Notes on customers: added, edited, deleted, each on the customer's timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction

from kartei.timeline.actors import actor_user
from kartei.timeline.attachments import attachments_add, files_check
from kartei.timeline.services import event_record

from .. import validation as v
from ..models import Customer, Note, Priority


@transaction.atomic
def note_create(*, customer: Customer, actor, text: str, priority: str = Priority.NONE, files=()) -> Note:
    """A note on the customer, with `files` attached to it."""
    text, priority = _clean_note(text, priority)
    files = files_check(files)
    note = Note.objects.create(customer=customer, text=text, priority=priority, author=actor_user(actor))
    event_record(customer=customer, kind="note.added", actor=actor, subject=note, data={"priority": priority})
    attachments_add(actor=actor, files=files, note=note)
    return note


@transaction.atomic
def note_update(*, note: Note, actor, text: str | None = None, priority: str | None = None) -> Note:
    text, priority = _clean_note(note.text if text is None else text, note.priority if priority is None else priority)
    if (text, priority) == (note.text, note.priority):
        return note
    note.text, note.priority = text, priority
    note.save(update_fields=["text", "priority", "updated_at"])
    event_record(customer=note.customer, kind="note.updated", actor=actor, subject=note, data={"priority": priority})
    return note


@transaction.atomic
def note_delete(*, note: Note, actor) -> None:
    event_record(customer=note.customer, kind="note.deleted", actor=actor, subject=note, data={"text": note.text[:200]})
    note.delete()


def _clean_note(text, priority) -> tuple[str, str]:
    errors = {}
    try:
        text = v.clean_note_text(text)
    except ValidationError as error:
        errors["text"] = error.error_list
    try:
        priority = v.clean_choice(priority or Priority.NONE, Priority)
    except ValidationError as error:
        errors["priority"] = error.error_list
    if errors:
        raise ValidationError(errors)
    return text, priority
