"""Domain errors that views and the API turn into messages (409 in the API), and a service's errors put on a form."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else saved the same thing since it was loaded."""

    message = _("Someone else changed this customer in the meantime. Reload to see their changes.")

    def __init__(self, message=None):
        super().__init__(message or self.message)
        if message:
            self.message = message


def errors_to_form(form, error: ValidationError) -> None:
    """Put a service's errors next to the fields of `form` they concern; the rest (and an error about no field)
    above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
