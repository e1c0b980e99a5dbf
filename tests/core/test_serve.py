"""`kartei serve` as an operator starts it: it migrates a new data directory, answers over HTTP, and prints a line
per request only when asked to (a proxy in front usually logs requests). `make serve` (`kartei serve --demo`)
fills a new installation with demo data once and says how to log in, last."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

KARTEI = [sys.executable, "-m", "kartei.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "KARTEI_DATA_DIR": str(data_dir)}


def serve_and_get(tmp_path: Path, *options: str, worker: bool = False) -> str:
    """Start `kartei serve` on a SQLite data directory, fetch the login page, wait for its last line, stop it;
    what it printed."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        no_worker = [] if worker else ["--no-worker"]
        server = subprocess.Popen([*KARTEI, "serve", "--port", str(port), *no_worker, *options],
                                  env=environment(tmp_path), stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/?from=test", timeout=5) as response:
                        assert response.status == 200
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            while "Kartei is serving at" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)  # anything printed after it
            return log.read_text()  # before it stops and says so
        finally:
            server.terminate()
            server.wait(20)


def kartei(data_dir: Path, *args: str) -> str:
    result = subprocess.run([*KARTEI, *args], env=environment(data_dir), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("options, logged", [((), False), (("--access-log",), True)], ids=["quiet", "--access-log"])
def test_it_serves_the_app_and_logs_requests_only_when_asked(tmp_path, options, logged):
    printed = serve_and_get(tmp_path, *options)

    assert "Kartei is serving at http://127.0.0.1:" in printed
    assert ("GET /login/?from=test" in printed) == logged
    assert (tmp_path / "kartei.sqlite3").exists()  # migrated a new data directory


def test_the_first_start_with_demo_data_ends_with_the_address_and_the_login(tmp_path):
    printed = serve_and_get(tmp_path, "--demo", worker=True).strip().splitlines()

    assert printed[-3].startswith("Kartei is serving at http://127.0.0.1:")
    assert printed[-2] == "Added 500 demo customers and 200 orders."
    assert printed[-1].startswith("Log in as:  demo  /  ")


def test_later_starts_keep_the_data_and_the_logins_as_they_are(tmp_path):
    serve_and_get(tmp_path, "--demo")
    # The owner switched the demo login off and removed a customer.
    kartei(tmp_path, "shell", "-c", "from django.contrib.auth.models import User; User.objects.update(is_active=False)")
    kartei(
        tmp_path,
        "shell",
        "-c",
        "from kartei.customers.models import Customer; Customer.objects.filter(orders=None).first().delete()",
    )

    printed = serve_and_get(tmp_path, "--demo")

    assert "Log in as" not in printed and "demo customers" not in printed
    assert printed.strip().splitlines()[-1].startswith("Kartei is serving at")
    state = "from django.contrib.auth.models import User; from kartei.customers.models import Customer; "
    state += "print(User.objects.filter(is_active=True).count(), Customer.objects.count())"
    assert kartei(tmp_path, "shell", "-c", state).splitlines()[-1].split() == ["0", "499"]
