import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The `staff` fixture sets a password; the production hasher makes that the slowest part of every API test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
