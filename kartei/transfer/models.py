from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OnDuplicate(models.TextChoices):
    SKIP = "skip", _("Skip them")
    FILL = "fill", _("Fill in their empty fields")
    OVERWRITE = "overwrite", _("Overwrite their fields")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped, nothing changed")


class Import(models.Model):
    """One import of customers from a file: who, when, what was read how, and what it did (so it can be undone).
    A large file is imported by the task worker: the import is recorded first, queued, and follows its state."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    mapping = models.JSONField(default=dict)  # column header -> the field it was read into
    on_duplicate = models.CharField(max_length=10, choices=OnDuplicate.choices, default=OnDuplicate.SKIP)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.DONE)
    rows_total = models.PositiveIntegerField(default=0)  # rows in the file, as its check counted them
    upload = models.CharField(max_length=32, blank=True)  # the stored file's token, while it waits or runs
    error = models.TextField(blank=True)
    # The customers it created, as runs of ids: [[first, last], …] (a batch's customers get consecutive ids).
    created_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name


class ImportedCustomer(models.Model):
    """A customer an import changed, with the fields' values before and after, for the undo."""

    import_run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="customers")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"{self.import_run_id}: {self.customer_id}"


class SavedColumns(models.Model):
    """How the user set the columns of a file, used again for the next file with the same headers."""

    headers_key = models.CharField(max_length=64, unique=True)  # mapping.headers_key of the file's headers
    headers = models.JSONField(default=list)
    columns = models.JSONField(default=dict)  # column position (a string, as JSON keys are) -> field
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "saved columns"

    def __str__(self):
        return ", ".join(self.headers)
