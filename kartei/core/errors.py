"""Domain errors that views and the API turn into messages (409 in the API)."""

from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else saved the same thing since it was loaded."""

    message = _("Someone else changed this customer in the meantime. Reload to see their changes.")

    def __init__(self, message=None):
        super().__init__(message or self.message)
        if message:
            self.message = message
