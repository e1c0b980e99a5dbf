"""API tokens: created for a user and shown once; only their SHA-256 is stored; revoked and expired tokens and
tokens of inactive users open nothing. `kartei token` creates (with an expiry), lists and revokes them."""

import hashlib
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
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


# Expiry, listing and revoking from the command line


def _create(*args) -> str:
    out = StringIO()
    call_command("token", "create", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


def _api_status(raw: str) -> int:
    return Client().get("/api/v1/tags", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_a_token_made_for_some_days_works_until_then(staff):
    raw = _create("anna", "--days", "3")

    token = ApiToken.objects.get()
    assert abs(token.expires_at - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    assert _api_status(raw) == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _api_status(raw) == 401
    assert api_token_user(raw) is None


def test_an_expired_token_gets_the_same_answer_as_a_wrong_one(staff):
    raw = _create("anna", "--days", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))

    expired = Client().get("/api/v1/tags", headers={"Authorization": f"Bearer {raw}"})
    wrong = Client().get("/api/v1/tags", headers={"Authorization": "Bearer kt_wrong"})

    assert (expired.status_code, expired.json(), expired["WWW-Authenticate"]) == (
        wrong.status_code, wrong.json(), wrong["WWW-Authenticate"])  # fmt: skip


def test_a_token_with_an_expiry_date_works_through_that_day(staff, settings):
    last_day = timezone.localdate() + timedelta(days=30)

    raw = _create("anna", "--expires", last_day.isoformat())

    expires_at = timezone.localtime(ApiToken.objects.get().expires_at)
    assert (expires_at.date(), expires_at.time()) == (last_day + timedelta(days=1), datetime.min.time())
    assert _api_status(raw) == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--expires", "2020-01-01"], "Choose an expiry in the future."),
        (["--expires", "31.12.2030"], "--expires takes a date such as 2027-01-31"),
        (["--days", "0"], "--days takes a number from 1 to 36500."),
        (["--name", "n" * 101], "Keep the name to 100 characters."),
    ],
)
def test_the_command_refuses_a_bad_expiry_or_name(staff, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("token", "create", "anna", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_the_command_refuses_both_an_expiry_date_and_days(staff):
    with pytest.raises(CommandError):
        call_command("token", "create", "anna", "--days", "3", "--expires", "2030-01-01", stderr=StringIO())


def test_the_command_makes_no_token_for_a_deactivated_user(staff):
    staff.is_active = False
    staff.save()

    with pytest.raises(CommandError, match="deactivated"):
        _create("anna")


def test_the_command_lists_tokens_without_revealing_them(staff):
    UserFactory(username="olga")
    shop = _create("anna", "--name", "shop sync", "--days", "10")
    _create("olga", "--name", "backup")
    ApiToken.objects.filter(name="backup").update(revoked_at=timezone.now())
    out = StringIO()

    call_command("token", "list", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[0].split() == ["ID", "PREFIX", "USER", "NAME", "CREATED", "LAST", "USED", "EXPIRES", "REVOKED"]
    assert len(lines) == 3
    assert shop[:8] in lines[1] and "anna" in lines[1] and "shop sync" in lines[1]
    assert "olga" in lines[2] and "backup" in lines[2]
    assert lines[1].rstrip().endswith("-") and not lines[2].rstrip().endswith("-")  # revoked or not
    assert shop not in out.getvalue()


def test_the_command_lists_one_users_tokens(staff):
    UserFactory(username="olga")
    _create("anna")
    _create("olga")
    out = StringIO()

    call_command("token", "list", "olga", stdout=out)

    assert "olga" in out.getvalue() and "anna" not in out.getvalue()
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("token", "list", "nobody", stdout=StringIO())


def test_the_command_says_when_there_are_no_tokens(staff):
    out = StringIO()
    call_command("token", "list", stdout=out)
    assert out.getvalue().strip() == "No tokens."


@pytest.mark.parametrize("by", ["prefix", "id"])
def test_the_command_revokes_a_token_by_prefix_or_id(staff, by):
    raw = _create("anna")
    keep = _create("anna")
    token = ApiToken.objects.get(prefix=raw[:8])
    out = StringIO()

    call_command("token", "revoke", raw[:8] if by == "prefix" else str(token.pk), stdout=out)

    assert f"Revoked token {raw[:8]}… of anna." in out.getvalue()
    assert _api_status(raw) == 401 and _api_status(keep) == 200
    again = StringIO()
    call_command("token", "revoke", raw[:8], stdout=again)
    assert "already revoked" in again.getvalue()


def test_the_command_refuses_to_revoke_an_unknown_or_ambiguous_token(staff):
    raw = _create("anna")
    twin = ApiToken.objects.get()
    ApiToken.objects.create(user=staff, key_hash="0" * 64, prefix=twin.prefix)

    with pytest.raises(CommandError, match="No token"):
        call_command("token", "revoke", "kt_nothing", stdout=StringIO())
    with pytest.raises(CommandError, match="Several tokens"):
        call_command("token", "revoke", raw[:8], stdout=StringIO())
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
