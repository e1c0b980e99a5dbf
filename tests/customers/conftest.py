import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff users are made for almost every test here; the production hasher would cost ~0.4 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
