"""Existing events keep their history: an event with a user was done by staff (a user since deleted left no trace
but its null, so those read as the system's), and a note event points at its note while the note exists."""

from django.db import migrations

NOTE_KINDS = ("note.added", "note.updated")
BATCH = 1000


def fill_actor_type_and_subject(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    Note = apps.get_model("customers", "Note")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias

    Event.objects.using(db).filter(actor__isnull=False).update(actor_type="staff")

    note_events = Event.objects.using(db).filter(kind__in=NOTE_KINDS, subject_id__isnull=True).order_by("id")
    if not note_events.exists():
        return
    note_type, _ = ContentType.objects.using(db).get_or_create(app_label="customers", model="note")
    last = 0
    while True:
        batch = list(note_events.filter(id__gt=last).only("id", "data")[:BATCH])
        if not batch:
            break
        last = batch[-1].id
        wanted = {e.id: _note_id(e.data) for e in batch}
        existing = set(
            Note.objects.using(db).filter(id__in={n for n in wanted.values() if n}).values_list("id", flat=True)
        )
        changed = []
        for event in batch:
            if wanted[event.id] in existing:
                event.subject_type_id, event.subject_id = note_type.id, wanted[event.id]
                changed.append(event)
        Event.objects.using(db).bulk_update(changed, ["subject_type", "subject_id"])


def _note_id(data) -> int | None:
    note = data.get("note") if isinstance(data, dict) else None
    return note if isinstance(note, int) and not isinstance(note, bool) and note > 0 else None


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0001_initial"),
        ("timeline", "0002_event_actor_type_and_subject"),
    ]

    operations = [migrations.RunPython(fill_actor_type_and_subject, migrations.RunPython.noop, elidable=True)]
