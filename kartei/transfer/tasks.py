"""Checks and imports of large files, run by the task worker (`kartei serve` starts one; `kartei db_worker`
runs more)."""

import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import uploads
from .models import Import, ImportState
from .reading import FileProblem
from .services import checked_facts, customers_import

log = logging.getLogger(__name__)


@task()
def import_in_background(import_id: int) -> None:
    """Run a queued import. It is all or nothing; its progress goes beside its file, outside the transaction."""
    run = Import.objects.get(pk=import_id)
    path = uploads.path_of(run.upload)
    if run.state != ImportState.QUEUED:
        return
    if path is None:
        Import.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=_("The file is no longer here."))
        return
    Import.objects.filter(pk=run.pk).update(state=ImportState.RUNNING)
    uploads.note(run.upload, started=timezone.now().timestamp(), done=0)
    columns = run.mapping.get("columns")
    try:
        customers_import(
            actor=run.created_by, path=path, file_name=run.file_name, on_duplicate=run.on_duplicate, run=run,
            mapping={int(k): v for k, v in columns.items()} if columns is not None else None,
            sheet=run.mapping.get("sheet", ""), progress=lambda done: uploads.note(run.upload, done=done),
        )  # fmt: skip
    except FileProblem as problem:
        Import.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=str(problem), upload="")
    except Exception:
        log.exception("Import %s stopped", run.pk)
        stopped = _("The import stopped unexpectedly.")
        Import.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=stopped, upload="")
    uploads.forget(run.upload)


@task()
def check_in_background(token: str, *, actor_id: int | None, language: str, on_duplicate: str,
                        mapping: dict[str, str] | None, remember_columns: bool, sheet: str = "") -> None:  # fmt: skip
    """Check a large uploaded file as the check page does, in the user's language; what it finds goes beside the
    file, where the check page reads it."""
    from django.contrib.auth import get_user_model

    path = uploads.path_of(token)
    if path is None:
        return
    # The rows the page counted stay the total it shows.
    checking = {**(uploads.facts(token).get("checking") or {}), "started": timezone.now().timestamp(), "done": 0}
    uploads.note(token, checking=checking)
    with translation.override(language):
        try:
            result = customers_import(
                actor=get_user_model().objects.filter(pk=actor_id).first(), path=path, dry_run=True,
                on_duplicate=on_duplicate, remember_columns=remember_columns, sheet=sheet,
                mapping={int(k): v for k, v in mapping.items()} if mapping is not None else None,
                progress=lambda done: uploads.note(token, checking={**checking, "done": done}),
            )  # fmt: skip
        except FileProblem as problem:
            uploads.note(token, problem=str(problem))
            return
        except Exception:
            log.exception("The check of %s stopped", token)
            uploads.note(token, problem=_("The check stopped unexpectedly. Try again, or ask for help."))
            return
    uploads.note(token, **checked_facts(result))
