"""API tokens: created for a user and shown once; only their SHA-256 is stored; revoked tokens and tokens of
inactive users open nothing."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kartei.accounts.models import ApiToken
from kartei.accounts.services import api_token_create, api_token_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_stores_only_the_hash_of_a_new_token(staff):
    raw = api_token_create(user=staff, name="shop sync")

    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8] and token.name == "shop sync" and token.user == staff
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert raw not in stored


def test_it_makes_long_random_tokens(staff):
    tokens = {api_token_create(user=staff) for _ in range(20)}

    assert len(tokens) == 20
    assert all(t.startswith("kt_") and len(t) >= 40 for t in tokens)


def test_it_finds_the_user_of_a_token(staff):
    raw = api_token_create(user=staff)

    assert api_token_user(raw) == staff


@pytest.mark.parametrize("raw", ["", "kt_", "kt_wrong", "x" * 201, "\u0000", "kt_\xff\xfe", " "])
def test_it_finds_no_user_for_a_wrong_token(staff, raw):
    api_token_create(user=staff)

    assert api_token_user(raw) is None


def test_it_finds_no_user_for_a_revoked_token(staff):
    raw = api_token_create(user=staff)
    ApiToken.objects.update(revoked_at=timezone.now())

    assert api_token_user(raw) is None


def test_it_finds_no_user_for_the_token_of_an_inactive_user(staff):
    raw = api_token_create(user=staff)
    staff.is_active = False
    staff.save()

    assert api_token_user(raw) is None


def test_the_command_prints_a_working_token_on_the_last_line(staff):
    out, err = StringIO(), StringIO()

    call_command("token", "create", "anna", "--name", "cli", stdout=out, stderr=err)

    raw = out.getvalue().strip().splitlines()[-1]
    assert api_token_user(raw) == staff
    assert ApiToken.objects.get().name == "cli"
    assert raw not in err.getvalue()


def test_the_command_refuses_an_unknown_user():
    UserFactory(username="anna")

    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
