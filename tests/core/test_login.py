"""Logging in, logging out, and what a visitor without a login can reach."""

import os
import subprocess
import sys

import pytest

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
