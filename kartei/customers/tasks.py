"""Background work of the customer file, run by the task worker (`kartei serve` starts one, `kartei db_worker`
runs more)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .services import trash_purge


@task()
def purge_trash_daily() -> int:
    """Delete for good the customers in the trash longer than KARTEI_TRASH_DAYS days, and come back tomorrow,
    also after a day it failed. How many were deleted."""
    try:
        return trash_purge()
    finally:
        schedule_trash_purge(after=timezone.now() + timedelta(days=1))


def schedule_trash_purge(*, after=None) -> None:
    """Queue the daily purge unless one is queued already (so restarts never make it run twice a day)."""
    queued = DBTaskResult.objects.filter(task_path=purge_trash_daily.module_path, status=TaskResultStatus.READY)
    if not queued.exists():
        purge_trash_daily.using(run_after=after).enqueue()


def trash_purge_due() -> bool:
    """Whether a purge is waiting to run now or running (the one `kartei serve` queues when it starts)."""
    results = DBTaskResult.objects.filter(task_path=purge_trash_daily.module_path)
    return results.ready().exists() or results.running().exists()
