"""What the staff tests share: logging in as a person does, and the stored state to compare after a refusal."""

from django.contrib.auth import get_user_model
from django.test import Client

from kartei.accounts.models import StaffProfile

User = get_user_model()


def can_log_in(username: str, password: str) -> bool:
    """Whether the login page lets `username` in with `password`."""
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and "/login/" not in response["Location"]


def stored() -> dict:
    """Everything staff management can change, to compare before and after a refused request."""
    return {
        "users": list(User.objects.order_by("pk").values()),
        "profiles": list(StaffProfile.objects.order_by("pk").values()),
    }
