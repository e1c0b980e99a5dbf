"""Imports of large files, run by the task worker (`kartei serve` starts one, `kartei db_worker` runs more)."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import uploads
from .models import Import, ImportState
from .reading import FileProblem
from .services import customers_import

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
            progress=lambda done: uploads.note(run.upload, done=done),
        )  # fmt: skip
    except FileProblem as problem:
        Import.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=str(problem), upload="")
    except Exception:
        log.exception("Import %s stopped", run.pk)
        stopped = _("The import stopped unexpectedly.")
        Import.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=stopped, upload="")
    uploads.forget(run.upload)
