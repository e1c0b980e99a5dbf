"""Import and export pages."""

import re
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kartei.core import formatting
from kartei.core.htmx import htmx_done, render_page
from kartei.customers.models import Status
from kartei.customers.queries import CustomerFilter

from . import export, mapping, reading, rows, services, tasks, uploads
from .models import Import, OnDuplicate
from .reading import FileProblem

RECENT_IMPORTS = 20
REJECTED_SHOWN = 100  # on the check page; the download has them all
PASTED_MAX = 1_000_000  # characters of pasted addresses read

CSV_DIALECTS = {"csv": export.CSV, "csv-excel": export.CSV_EXCEL_COMMA}


def customers_export(request):
    """The customers shown (the list's filters in the query string), or with `all` every customer, as CSV or
    XLSX."""
    kind = request.GET.get("format", "csv")
    if kind not in (*CSV_DIALECTS, "xlsx"):
        return HttpResponseBadRequest(_("Choose CSV or Excel (XLSX)."), content_type="text/plain; charset=utf-8")
    f = None if request.GET.get("all") else CustomerFilter.from_query(request.GET)
    header, values = export.table(f)
    name = f"{slugify(_('Customers'))}-{timezone.localdate():%Y-%m-%d}"
    return _file(name, kind, header, values)


def _file(name: str, kind: str, header: list[str], values) -> StreamingHttpResponse | FileResponse:
    """A table to download: CSV streamed as it is read, XLSX written to a temporary file first (a zip has its
    index last)."""
    if kind == "xlsx":
        file = tempfile.TemporaryFile()
        export.write_xlsx(file, header, values)
        file.seek(0)
        return FileResponse(file, as_attachment=True, filename=f"{name}.xlsx")
    lines = export.csv_lines(header, values, CSV_DIALECTS[kind])
    response = StreamingHttpResponse((line.encode() for line in lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def import_sample(request, kind: str):
    """A file to fill in: Kartei's columns in the user's language, two customers as examples."""
    if kind not in ("csv", "xlsx"):
        raise Http404
    header, examples = export.sample()
    return _file(slugify(_("customers sample")), kind, header, examples)


@csrf_exempt  # checked below, once the size is known to be fine: the check reads the whole upload
def imports(request):
    """The import page: a file to check, and the imports made so far (each can be undone for a while)."""
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > settings.KARTEI_IMPORT_MAX_BYTES:
        # Refused before a byte of it is read or stored.
        problem = _("This file is larger than %(size)s, the most Kartei takes here. Split it into smaller files, or "
                    "import it on the server with “kartei import customers”.") % {
                        "size": filesizeformat(settings.KARTEI_IMPORT_MAX_BYTES)}  # fmt: skip
        return render(request, "transfer/imports.html", _imports_context(problem=problem), status=413)
    return _imports(request)


@csrf_protect
def _imports(request):
    if request.method == "POST":
        return _check(request)
    return render(request, "transfer/imports.html", _imports_context())


def _imports_context(**extra) -> dict:
    recent = Import.objects.select_related("created_by")[:RECENT_IMPORTS]
    undo_after = timezone.now() - timedelta(days=services.UNDO_DAYS)
    return {"imports": recent, "undo_after": undo_after, "choices": OnDuplicate.choices, **extra}


def _check(request):
    """The dry run of an uploaded file: what an import would do, before it does it."""
    uploaded = request.FILES.get("file")
    pasted = rows.pasted_addresses(request.POST.get("addresses", "")[:PASTED_MAX])
    on_duplicate = request.POST.get("on_duplicate", OnDuplicate.SKIP)
    problem = None
    if on_duplicate not in OnDuplicate.values:
        on_duplicate = OnDuplicate.SKIP
    chosen = _chosen_mapping(request.POST)
    sheet = request.POST.get("sheet", "")  # of a workbook; its first if none is chosen
    if request.POST.get("token"):  # checked again, with the columns (or the sheet) as the user set them
        token = request.POST["token"]
        if uploads.path_of(token) is None:
            messages.error(request, _("That file is no longer here. Choose it again."))
            return redirect("transfer:imports")
        file_name = uploads.facts(token)["name"]
        if sheet != uploads.facts(token).get("sheet", ""):
            chosen = None  # another sheet, other columns
    elif (uploaded is None or not uploaded.size) and pasted:
        file_name = _("pasted addresses")
        token = uploads.keep_rows(file_name, [str(_("Name")), str(_("Email"))], pasted)
    elif uploaded is None or not uploaded.size:
        problem = _("Choose a file to import (CSV, Excel, OpenDocument or vCard), or paste e-mail addresses.")
    elif uploads.suffix_of(uploaded.name) is None:
        problem = _("Kartei reads CSV, Excel (XLSX, XLS), OpenDocument (ODS) and contact (vCard) files.")
    else:
        file_name = uploaded.name
        token = uploads.keep(uploaded)
    if problem is None and uploads.path_of(token).stat().st_size >= services.BACKGROUND_BYTES:
        checking = {"started": None, "done": 0, "total": reading.rows_expected(uploads.path_of(token))}
        uploads.note(token, on_duplicate=on_duplicate, sheet=sheet, checked=None, problem=None, checking=checking)
        tasks.check_in_background.enqueue(
            token, actor_id=request.user.pk, language=translation.get_language(), on_duplicate=on_duplicate,
            mapping={str(k): v for k, v in chosen.items()} if chosen is not None else None,
            remember_columns=bool(request.POST.get("remember")), sheet=sheet,
        )  # fmt: skip
        return redirect("transfer:check", token=token)
    if problem is None:
        try:
            result = services.customers_import(actor=request.user, path=uploads.path_of(token), dry_run=True,
                                               on_duplicate=on_duplicate, mapping=chosen, sheet=sheet,
                                               remember_columns=bool(request.POST.get("remember")))  # fmt: skip
        except FileProblem as error:
            uploads.forget(token)
            problem = str(error)
    if problem is not None:
        context = _imports_context(
            problem=problem, on_duplicate=on_duplicate, addresses=request.POST.get("addresses", "")
        )
        return render(request, "transfer/imports.html", context, status=422)
    uploads.note(token, **services.checked_facts(result), on_duplicate=on_duplicate, sheet=sheet, problem=None,
                 checking=None)  # fmt: skip
    return import_checked(request, token)


def import_checked(request, token: str):
    """What an import of a stored file would do, as its check found; while the task worker still checks a large
    file, how far it has come (the page asks again every second)."""
    if uploads.path_of(token) is None:
        messages.error(request, _("That file is no longer here. Choose it again."))
        return redirect("transfer:imports")
    facts = uploads.facts(token)
    if facts.get("problem"):
        uploads.forget(token)
        return render(request, "transfer/imports.html", _imports_context(problem=facts["problem"]), status=422)
    checked = facts.get("checked")
    if checked is None:
        checking = facts.get("checking") or {"started": None, "done": 0, "total": None}  # not queued yet
        context = {"token": token, "file_name": facts["name"], **_pace(**checking)}
        return render_page(request, "transfer/checking.html", context, partial="status")
    if request.htmx:  # the check that was running is done: the whole page
        return htmx_done(redirect=reverse("transfer:check", args=[token]))
    on_duplicate = facts.get("on_duplicate", OnDuplicate.SKIP)
    saved_at = checked["columns_saved_at"]
    result = {**checked, "rejected": facts["rejected"], "guessed": set(checked["guessed"]),
              "columns_saved_at": datetime.fromisoformat(saved_at) if saved_at else None}  # fmt: skip
    return render(request, "transfer/check.html", {
        "result": result, "token": token, "file_name": facts["name"], "on_duplicate": on_duplicate,
        "on_duplicate_label": OnDuplicate(on_duplicate).label,
        "columns": [(position, header, field, position in result["guessed"])
                    for position, (header, field) in enumerate(checked["columns"])],
        "fields": mapping.choices(),
        "preview_headers": [mapping.field_label(f) for f in ("name", "email", "phone", "city", "status", "tags")],
        "preview": [_preview(row) for row in checked["preview"]],
        "rejected": facts["rejected"][:REJECTED_SHOWN],
        "sheet": facts.get("sheet", ""), "sheets": reading.sheet_names(uploads.path_of(token)),
    })  # fmt: skip


def _chosen_mapping(post) -> dict[int, str] | None:
    """The columns as the user set them on the check page (`column-N`: a field, or empty for none)."""
    if "columns" not in post:
        return None
    return {int(key[7:]): value for key, value in post.items() if re.fullmatch(r"column-\d{1,5}", key) and value}


def _preview(customer: dict) -> list[str]:
    """A new customer of the check page (services.checked_facts), as the customer page will show it."""
    status = Status(customer["status"]).label if customer["status"] else ""
    return [customer["name"], customer["email"], formatting.phone(customer["phone"]), customer["city"], status,
            ", ".join(customer["tags"])]  # fmt: skip


@require_POST
def import_run(request):
    token = request.POST.get("token", "")
    path = uploads.path_of(token)
    if path is None:
        messages.error(request, _("That file is no longer here. Choose it again."))
        return redirect("transfer:imports")
    on_duplicate = request.POST.get("on_duplicate", OnDuplicate.SKIP)
    if on_duplicate not in OnDuplicate.values:
        on_duplicate = OnDuplicate.SKIP
    facts = uploads.facts(token)
    if facts.get("rows", 0) >= services.BACKGROUND_ROWS:
        run = services.import_queue(
            actor=request.user, upload=token, file_name=facts["name"], on_duplicate=on_duplicate,
            mapping=_chosen_mapping(request.POST), rows_total=facts["rows"], sheet=facts.get("sheet", ""),
        )  # fmt: skip
        return redirect("transfer:progress", pk=run.pk)
    try:
        result = services.customers_import(
            actor=request.user, path=path, file_name=facts["name"], on_duplicate=on_duplicate,
            mapping=_chosen_mapping(request.POST), sheet=facts.get("sheet", ""),
        )  # fmt: skip
    except FileProblem as error:
        messages.error(request, str(error))
        return redirect("transfer:imports")
    uploads.forget(token)
    messages.success(request, _("Imported: %(created)s new, %(updated)s updated, %(skipped)s skipped, "
                                "%(rejected)s rejected.") % {"created": result.created, "updated": result.updated,
                                "skipped": result.skipped, "rejected": len(result.rejected)})  # fmt: skip
    return redirect("transfer:imports")


def import_rejected(request, token: str):
    """The rejected rows of a checked file, as they were, with the reason in an extra column: fix and import
    just those."""
    path = uploads.path_of(token)
    if path is None:
        raise Http404
    facts = uploads.facts(token)
    reasons = {r["line"]: r["reason"] for r in facts.get("rejected", [])}
    table = reading.read_table(path, looks_like_header=mapping.looks_like_header, sheet=facts.get("sheet", ""))
    rejected = ([*cells, reasons[line]] for line, cells in table.rows if line in reasons)
    return _file(slugify(_("rejected rows")), "csv", [*table.header, _("Why it was not imported")], rejected)


def import_progress(request, pk: int):
    """A queued or running import, as far as it has come; the page asks again every second until it is done."""
    run = get_object_or_404(Import, pk=pk)
    facts = uploads.facts(run.upload) if run.upload and uploads.path_of(run.upload) else {}
    pace = _pace(started=facts.get("started"), done=facts.get("done", 0), total=run.rows_total)
    return render_page(request, "transfer/progress.html", {"run": run, **pace}, partial="status")


def _pace(*, started: float | None, done: int, total: int | None) -> dict:
    """How far work on the rows of a file has come: rows done of the total, rows a second, seconds left."""
    pace = {"done": done, "total": max(total or 0, done), "per_second": None, "left": None}
    if started and done:
        per_second = done / max(timezone.now().timestamp() - started, 0.001)
        pace.update(per_second=round(per_second), left=round(max(pace["total"] - done, 0) / per_second))
    return pace


@require_POST
def import_undo(request, pk: int):
    run = get_object_or_404(Import, pk=pk)
    try:
        result = services.import_undo(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = _("Import undone: %(removed)s customers removed, %(restored)s restored.") % {
            "removed": result.removed, "restored": result.restored}  # fmt: skip
        if result.kept:
            message += " " + _("Changed since, so left as they are: %(names)s") % {"names": ", ".join(result.kept)}
        if result.ordered:
            message += " " + _("Ordered since, so kept with their orders: %(names)s") % {
                "names": ", ".join(result.ordered)}  # fmt: skip
        messages.success(request, message)
    if request.htmx:
        return htmx_done(redirect=reverse("transfer:imports"))
    return redirect("transfer:imports")
