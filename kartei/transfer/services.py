"""Importing customers from a file, and undoing an import. An import is all or nothing: it runs in one
transaction, so a failure (or a killed process) midway leaves the customer file as it was."""

import operator
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from kartei.core.bulk import fewer_collections
from kartei.customers.models import Customer, Priority, Source
from kartei.customers.services import (
    SCALAR_FIELDS,
    customer_addresses,
    customer_update,
    customers_bulk_prepare,
    customers_bulk_session,
    customers_bulk_write,
    tags_for_names,
)

from . import mapping as columns
from .checking import DERIVED, PARALLEL_ROWS, SUMMARY, WHOLE, checked_batches
from .models import Import, ImportedCustomer, ImportState, OnDuplicate, SavedColumns
from .reading import FileProblem, read_table, rows_expected
from .rows import to_complete_tag


class ImportConflict(FileProblem):
    """An import that met a customer stored at the same time; said to the user like a file's problem."""


BATCH = 2000  # rows read, checked against the stored customers and written at once
# The indexes a row without an e-mail address is matched by: kept while a first load builds the others at its end.
LOOKED_UP_BY = ("customer_phone_sort", "customer_vat_id")
UNDO_DAYS = 30
UNDO_RUNS = 200  # runs of created customers' ids an undo removes at once
PREVIEW = 5  # new customers shown as they will be stored, before an import runs


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"line": N, "reason": "..."}
    unmapped: list[str] = field(default_factory=list)  # headers of the columns nothing was read from
    mapping: dict[str, str] = field(default_factory=dict)  # header → the field it is read into
    columns: list[tuple[str, str | None]] = field(default_factory=list)  # (header, field) of each column
    preview: list[dict] = field(default_factory=list)  # the first new customers, as they will be stored
    guessed: set[int] = field(default_factory=set)  # columns read by a header close to a known one, to confirm
    columns_saved_at: datetime | None = None  # when the columns were read as the user saved them for these headers
    import_id: int | None = None

    @property
    def rows(self) -> int:
        """The rows read, whatever became of them."""
        return self.created + self.updated + self.skipped + len(self.rejected)

    def as_json(self) -> dict:
        answer = {"created": self.created, "updated": self.updated, "skipped": self.skipped, "rejected": self.rejected}
        if self.import_id is not None:
            answer["import"] = self.import_id
        return answer


def customers_import(
    *,
    actor,
    path: Path,
    file_name: str = "",
    on_duplicate: str = OnDuplicate.SKIP,
    dry_run: bool = False,
    mapping: dict[int, str] | None = None,
    run: Import | None = None,
    progress: Callable[[int], None] | None = None,
    keep_unmapped: bool = False,
    remember_columns: bool = False,
    sheet: str = "",
) -> ImportResult:
    """Read every row of the file at `path`; create the customers that are new; for those already stored (same
    ID, e-mail address, or without an e-mail the same phone number or VAT ID) skip them, fill in their empty
    fields or overwrite them, as `on_duplicate` says. A dry run reads and checks everything and writes nothing.
    `mapping` (column position → field) as the user set it; without it, as the user saved them for files with
    these headers (columns_save), else recognised by their headers.
    `run`: the import as recorded before it was queued (import_queue); `progress` is told the rows read so far.
    With `keep_unmapped`, the columns Kartei has no field for are kept as lines of each customer's note; with
    `remember_columns`, `mapping` is saved for the next file with the same headers. `sheet`: of a workbook, the
    sheet to read (else its first).
    Raises reading.FileProblem for a file that is not a table."""
    table = read_table(path, looks_like_header=columns.looks_like_header, sheet=sheet)
    result = ImportResult()
    if mapping is not None and remember_columns:
        saved = columns_save(actor=actor, header=table.header, mapping=mapping)
    else:
        saved = None if mapping is not None else columns_saved(table.header)
    if saved is not None:
        mapping, result.columns_saved_at = {int(k): v for k, v in saved.columns.items()}, saved.saved_at
    if mapping is None:
        found, result.guessed = columns.auto_mapping(table.header), columns.guessed(table.header)
    else:
        found = columns.chosen(mapping, table.header)
    if keep_unmapped:
        found.update({i: columns.KEPT for i, h in enumerate(table.header) if i not in found and h})
    result.unmapped = [h for i, h in enumerate(table.header) if i not in found and h]
    result.mapping = {table.header[i]: f for i, f in found.items()}
    result.columns = [(h, found.get(i)) for i, h in enumerate(table.header)]
    try:
        _read_and_write(table, found, result, run, actor, on_duplicate, dry_run, file_name or Path(path).name,
                        progress, rows_expected(path) or 0)  # fmt: skip
    except IntegrityError:
        # Someone stored a customer with one of the file's e-mail addresses while the import ran: the unique index
        # refused the import's own, after it had looked. Nothing was written.
        raise ImportConflict(
            _("While the import ran, someone added a customer with one of its e-mail addresses. Nothing was "
              "imported; check the file again.")
        ) from None  # fmt: skip
    return result


def checked_facts(result: ImportResult) -> dict:
    """What a dry run found, as the check page shows it: kept (as JSON) beside the uploaded file."""
    preview = [{"name": row.get("name", ""), "email": row.get("email", ""), "phone": row.get("phone", ""),
                "city": (row.get("addresses") or [{}])[0].get("city", ""), "status": row.get("status", ""),
                "tags": row.get("tags", [])} for row in result.preview]  # fmt: skip
    checked = {
        "created": result.created, "updated": result.updated, "skipped": result.skipped, "columns": result.columns,
        "guessed": sorted(result.guessed), "preview": preview,
        "columns_saved_at": result.columns_saved_at.isoformat() if result.columns_saved_at else None,
    }  # fmt: skip
    return {"checked": checked, "rejected": result.rejected, "rows": result.rows}


def _read_and_write(table, found, result, run, actor, on_duplicate, dry_run, file_name, progress, rows) -> None:
    """`rows`: about how many the file holds (0 if not known)."""
    with fewer_collections(), transaction.atomic():
        recorded_here = not dry_run and run is None
        if recorded_here:
            run = Import.objects.create(
                created_by=actor if getattr(actor, "pk", None) else None,
                file_name=file_name[:255],
                mapping=result.mapping,
                on_duplicate=on_duplicate,
            )
        known = _Known(stored=_stored_when_starting(up_to=rows))
        with nullcontext() if dry_run else customers_bulk_session(adding=rows, keep_indexes=LOOKED_UP_BY):
            read = 0
            # A dry run reads the whole customer only where it can change a stored one.
            whole = known.stored.anyone and on_duplicate != OnDuplicate.SKIP
            shape = DERIVED if not dry_run else WHOLE if whole else SUMMARY
            batches = checked_batches(_batches(table.rows), table.header, found, parallel=rows >= PARALLEL_ROWS,
                                      shape=shape)  # fmt: skip
            for checked in batches:
                _batch(checked, known, result, run, actor, on_duplicate)
                read += len(checked)
                if progress is not None:
                    progress(read)
        result.rejected.sort(key=lambda rejected: rejected["line"])
        if recorded_here and not (result.created or result.updated):
            run.delete()  # nothing was written: nothing to list or undo
        elif run is not None:
            Import.objects.filter(pk=run.pk).update(
                created=result.created,
                updated=result.updated,
                skipped=result.skipped,
                rejected=len(result.rejected),
                state=ImportState.DONE,
                upload="",
                mapping=result.mapping,
                created_ids=run.created_ids,
            )
            result.import_id = run.pk


def columns_saved(header: list[str]) -> SavedColumns | None:
    """The columns as the user saved them for files with these headers, if they did."""
    return SavedColumns.objects.filter(headers_key=columns.headers_key(header)).first()


def columns_save(*, actor, header: list[str], mapping: dict[int, str]) -> SavedColumns:
    """Keep how the user set the columns of a file, for the next file with the same headers."""
    chosen = {str(k): v for k, v in columns.chosen(mapping, header).items()}
    values = {"headers": header, "columns": chosen, "saved_by": actor if getattr(actor, "pk", None) else None}
    key = columns.headers_key(header)
    try:
        with transaction.atomic():
            saved, _created = SavedColumns.objects.update_or_create(headers_key=key, defaults=values)
    except IntegrityError:  # saved by someone else at the same moment: theirs is replaced, as it would be after
        saved, _created = SavedColumns.objects.update_or_create(headers_key=key, defaults=values)
    return saved


# Files with at least this many rows are imported by the task worker, with a progress bar; smaller ones at once.
BACKGROUND_ROWS = 5000
BACKGROUND_BYTES = 1_000_000  # files at least this big are checked by the task worker too (about 8,000 rows)


def import_queue(*, actor, upload: str, file_name: str, mapping: dict[int, str] | None, on_duplicate: str,
                 rows_total: int, sheet: str = "") -> Import:  # fmt: skip
    """Record an import of a stored file (uploads) and queue it for the task worker."""
    from .tasks import import_in_background

    queued = {"sheet": sheet} if sheet else {}
    if mapping is not None:
        queued["columns"] = {str(k): v for k, v in mapping.items()}
    run = Import.objects.create(
        created_by=actor if getattr(actor, "pk", None) else None, file_name=file_name[:255], state=ImportState.QUEUED,
        on_duplicate=on_duplicate, rows_total=rows_total, upload=upload, mapping=queued,
    )  # fmt: skip
    transaction.on_commit(lambda: import_in_background.enqueue(run.pk))
    return run


def _batches(rows: Iterator) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _batch(checked, known: "_Known", result, run, actor, on_duplicate) -> None:
    seen = known.seen
    rows = []  # (line, data, cleaned)
    for line, data, clean in checked:
        if data is None:  # `clean` is why it is not a customer
            result.rejected.append({"line": line, "reason": clean})
            continue
        keys = _file_keys(data, clean)
        first = next((seen[key] for key in keys if key in seen), None)
        if first is not None:
            result.rejected.append(
                {"line": line, "reason": _("The same customer as on line %(line)d.") % {"line": first}}
            )
            continue
        seen.update(dict.fromkeys(keys, line))
        rows.append((line, data, clean))
    stored = _stored_matches(rows, known.stored)
    new = []
    for line, data, clean in rows:
        customer = stored.get(line)
        if customer is None and "id" in data:
            result.rejected.append({"line": line, "reason": _("No customer has the ID %(id)d.") % {"id": data["id"]}})
        elif customer is None:
            new.append(clean)
        elif on_duplicate == OnDuplicate.SKIP:
            result.skipped += 1
        else:
            changes = _changes(customer, clean, overwrite=on_duplicate == OnDuplicate.OVERWRITE)
            if not changes:
                result.skipped += 1
                continue
            if run is not None:
                try:
                    _update(run, customer, changes, actor)
                except ValidationError as error:  # the e-mail address is another customer's
                    result.rejected.append({"line": line, "reason": " ".join(error.messages)})
                    continue
            result.updated += 1
    result.created += len(new)
    result.preview += new[: PREVIEW - len(result.preview)]
    if run is not None and new:
        names = list(dict.fromkeys(name for clean in new for name in clean.get("tags", [])))
        tags = dict(zip(names, tags_for_names(names), strict=True))  # looked up once for the batch
        ids = customers_bulk_write(actor=actor, customers=customers_bulk_prepare(
            [_bulk_row(clean, tags) for clean in new], source=Source.IMPORT), subject=run)  # fmt: skip
        _add_to_runs(run.created_ids, ids)


def _add_to_runs(runs: list[list[int]], ids: list[int]) -> None:
    """Add ascending `ids` to `runs` ([[first, last], …]), a run of consecutive ids kept as one."""
    for pk in ids:
        if runs and runs[-1][1] == pk - 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])


def _file_keys(data: dict, clean: dict) -> list[str]:
    """What tells the customer of a row from the others in the file, as stored customers are told apart
    (_stored_matches): its ID and its e-mail address; without either, its phone number and VAT ID."""
    keys = [f"id:{data['id']}"] if "id" in data else []
    if clean.get("email"):
        keys.append(f"email:{clean['email'].lower()}")
    return keys or [f"{name}:{clean[name]}" for name in ("phone", "vat_id") if clean.get(name)]


@dataclass
class _Stored:
    """What the customer file held (not in the trash) when an import started, as matching its rows needs it. A
    row that matches none of it is new: the import's own customers are the file's earlier lines (`_Known.seen`),
    and one stored meanwhile by someone else with the same e-mail address is refused by the unique index."""

    anyone: bool  # any customer at all: if not, no row can be about a stored one
    emails: set[str] | None  # their e-mail addresses as the unique index compares them, if no more than the file's


@dataclass
class _Known:
    """What the rows of an import are matched against."""

    stored: _Stored
    seen: dict = field(default_factory=dict)  # the file's own keys (ID, e-mail …) → the line that had them first


def _stored_when_starting(*, up_to: int) -> _Stored:
    """What is stored as an import of about `up_to` rows starts; the e-mail addresses if there are no more of them
    than that (else they are looked up batch by batch)."""
    alive = Customer.objects.filter(deleted_at__isnull=True)
    if not alive.exists():
        return _Stored(anyone=False, emails=set())
    with_email = alive.exclude(email="")
    if with_email[: up_to + 1].count() > up_to:
        return _Stored(anyone=True, emails=None)
    emails = with_email.annotate(key=Lower("email")).values_list("key", flat=True)
    return _Stored(anyone=True, emails=set(emails.iterator()))


def _stored_matches(rows, stored: _Stored) -> dict[int, Customer]:
    """Line → the stored customer (not in the trash) a row is about: by ID, else by e-mail address (compared as
    the unique index compares), else, for rows without one, by phone number or VAT ID."""
    if not stored.anyone:
        return {}
    alive = Customer.objects.filter(deleted_at__isnull=True)
    by_id = alive.in_bulk([data["id"] for _, data, _ in rows if "id" in data])
    emails = {clean["email"].lower() for _, data, clean in rows if clean.get("email") and "id" not in data}
    if stored.emails is not None:
        emails &= stored.emails
    # Written as the unique index's condition, so a first load (which drops the other e-mail index) can use it.
    found = alive.exclude(email="").annotate(key=Lower("email")).filter(key__in=emails) if emails else ()
    by_email = {c.email.lower(): c for c in found}
    rest = [clean for _, data, clean in rows if "id" not in data and not clean.get("email")]
    phones = {c["phone"] for c in rest if c.get("phone")}
    vat_ids = {c["vat_id"] for c in rest if c.get("vat_id")}
    by_phone = {c.phone: c for c in alive.filter(phone__in=phones).order_by("-id")} if phones else {}
    by_vat = {c.vat_id: c for c in alive.filter(vat_id__in=vat_ids).order_by("-id")} if vat_ids else {}
    matches = {}
    for line, data, clean in rows:
        if "id" in data:
            customer = by_id.get(data["id"])
        elif clean.get("email"):
            customer = by_email.get(clean["email"].lower())
        else:
            customer = by_phone.get(clean.get("phone")) or by_vat.get(clean.get("vat_id"))
        if customer is not None:
            matches[line] = customer
    return matches


def _changes(customer: Customer, clean: dict, *, overwrite: bool) -> dict:
    """The fields a row changes: with `overwrite` every field it has that differs, else only empty ones. Tags the
    customer lacks are added (with `overwrite` the file's tags replace theirs); the file's addresses are taken if
    the customer has none (with `overwrite`, if they differ)."""
    changes = {}
    for name in SCALAR_FIELDS:
        if name not in clean or name in ("kind", "status", "name") and not overwrite:
            continue
        value, current = clean[name], getattr(customer, name)
        if value in ("", None) or value == current:
            continue
        if overwrite or current in ("", None):
            changes[name] = value
    names = [n for n in clean.get("tags", []) if n != to_complete_tag()]  # that mark is for customers it creates
    if names:
        have = _value(customer, "tags")
        known = {h.lower() for h in have}
        wanted = names if overwrite else [*have, *(n for n in names if n.lower() not in known)]
        if {n.lower() for n in wanted} != known:
            changes["tags"] = wanted
    if clean.get("addresses"):
        have = _value(customer, "addresses")
        if not have or overwrite and clean["addresses"] != have:
            changes["addresses"] = clean["addresses"]
    return changes


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _value(customer: Customer, name: str):
    """A field of a stored customer as an import compares it and keeps it for its undo (JSON)."""
    if name == "tags":
        return [tag.name for tag in customer.tags.order_by("name")]
    if name == "addresses":
        return customer_addresses(customer)
    return _plain(getattr(customer, name))


def _update(run: Import, customer: Customer, changes: dict, actor) -> None:
    before = {name: _value(customer, name) for name in changes}
    customer = customer_update(customer=customer, actor=actor, data=changes, channel="import", subject=run)
    ImportedCustomer.objects.create(
        import_run=run, customer=customer, before=before, after={name: _value(customer, name) for name in changes}
    )


def _bulk_row(clean: dict, tags: dict) -> dict:
    fields = {name: clean[name] for name in SCALAR_FIELDS if name in clean}
    if fields.get("marketing_consent"):
        fields.update(marketing_consent_at=timezone.now(), marketing_consent_source=Source.IMPORT)
    notes = [(clean["note"], Priority.NONE)] if clean.get("note") else []
    chosen = list({tags[name].pk: tags[name] for name in clean.get("tags", [])}.values())  # two names, one tag
    return {"customer": fields, "addresses": clean.get("addresses", []), "tags": chosen, "notes": notes,
            "derived": clean.get("derived")}  # fmt: skip


@dataclass
class UndoResult:
    removed: int = 0
    restored: int = 0
    kept: list[str] = field(default_factory=list)  # customers edited since the import, left as they are
    ordered: list[str] = field(default_factory=list)  # customers it created who ordered since: the orders stay


@transaction.atomic
def import_undo(*, actor, run: Import) -> UndoResult:
    """Undo an import: the customers it created are removed, unless they ordered since (named in `ordered`); the
    fields it changed get their old values back, unless someone changed them since (named in `kept`)."""
    run = Import.objects.select_for_update().get(pk=run.pk)
    if run.undone_at is not None:
        raise ValidationError(_("This import was undone already."), code="undone")
    if run.created_at < timezone.now() - timedelta(days=UNDO_DAYS):
        raise ValidationError(
            _("An import can be undone for %(days)d days; this one is older."), params={"days": UNDO_DAYS}, code="old"
        )
    result = UndoResult()
    for start in range(0, len(run.created_ids), UNDO_RUNS):
        runs = run.created_ids[start : start + UNDO_RUNS]
        created = Customer.objects.filter(reduce(operator.or_, (Q(id__range=ids) for ids in runs)))
        # A customer who has ordered since stays: the business keeps their orders.
        result.ordered += created.exclude(orders=None).distinct().values_list("name", flat=True)
        _deleted, removed = created.filter(orders=None).delete()
        result.removed += removed.get(Customer._meta.label, 0)
    for change in run.customers.select_related("customer"):
        customer = change.customer
        if any(_value(customer, name) != value for name, value in change.after.items()):
            result.kept.append(customer.name)
            continue
        customer_update(customer=customer, actor=actor, data=change.before, channel="import", subject=run)
        result.restored += 1
    run.undone_at = timezone.now()
    run.save(update_fields=["undone_at"])
    return result
