"""Logging in, logging out, and what a visitor without a login can reach."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_goes_to_the_customers_page(client):
    UserFactory(username="maria")
    response = client.post("/login/", {"username": "maria", "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == "/customers/"
    assert client.get("/customers/").status_code == 200


def test_it_says_so_when_the_password_is_wrong_and_keeps_the_username(client):
    UserFactory(username="maria")
    page = client.post("/login/", {"username": "maria", "password": "wrong"}).content.decode()
    assert "The username or the password is wrong." in page
    assert 'value="maria"' in page


def test_it_locks_out_after_too_many_failed_attempts(client, settings):
    UserFactory(username="maria")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "maria", "password": "guess"})
    response = client.post("/login/", {"username": "maria", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def fail(client, username="maria", times=1, **headers):
    for _ in range(times):
        client.post("/login/", {"username": username, "password": "guess"}, **headers)


def log_in(client, username="maria", **headers):
    return client.post("/login/", {"username": username, "password": "correct horse battery staple"}, **headers)


def minutes_pass(minutes: int) -> None:
    """The recorded failed attempts are `minutes` older."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_a_stranger_cannot_lock_a_member_out(client, settings):
    UserFactory(username="maria")
    fail(client, times=settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.9")

    assert log_in(client, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert log_in(Client(), REMOTE_ADDR="198.51.100.7").status_code == 302, "maria at her own desk"


def test_failures_during_a_lock_out_do_not_make_it_longer(client, settings):
    UserFactory(username="maria")
    fail(client, times=settings.AXES_FAILURE_LIMIT)
    minutes_pass(10)
    fail(client)  # one wrong password every few minutes used to keep the lock-out going for ever
    assert log_in(client).status_code == 429

    minutes_pass(6)
    assert log_in(client).status_code == 302


def test_behind_a_trusted_proxy_each_visitor_is_told_apart_by_the_forwarded_address(client, settings):
    settings.TRUSTED_PROXIES = 1
    UserFactory(username="maria")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, times=settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    assert log_in(client, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
    # A visitor cannot pose as another by writing the header: the proxy appends the address it saw.
    spoofed = "198.51.100.7, 203.0.113.9"
    assert log_in(client, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    assert log_in(Client(), HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, settings):
    UserFactory(username="maria")
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")  # a new made-up address each time

    assert log_in(client, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@pytest.mark.parametrize("path", ["/", "/customers/", "/customers/new/", "/customers/1/", "/customers/trash/"])
def test_every_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_login_page_and_the_language_switch_need_none(client):
    assert client.get("/login/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/login/"})
    assert response.status_code == 302
    assert "Zaloguj" in client.get("/login/").content.decode()


def test_logout_ends_the_session(staff_client):
    staff_client.post("/logout/")
    assert staff_client.get("/customers/").status_code == 302


def test_the_pages_forbid_inline_scripts(staff_client):
    response = staff_client.get("/customers/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_deploy_checks_pass_with_https():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the browser tests
    result = subprocess.run(
        [sys.executable, "-m", "kartei.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={**env, "HTTPS": "true", "SECRET_KEY": "x" * 60 + "kartei-test-secret-key"},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
