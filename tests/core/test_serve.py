"""`kartei serve` as an operator starts it: it migrates a new data directory, answers over HTTP, and prints a line
per request only when asked to (a proxy in front usually logs requests)."""

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


def serve_and_get(tmp_path: Path, *options: str) -> str:
    """Start `kartei serve` on a new SQLite data directory, fetch the login page, stop it; what it printed."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KARTEI_DATA_DIR"] = str(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([*KARTEI, "serve", "--port", str(port), "--no-worker", *options], env=env,
                                  stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
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
        finally:
            server.terminate()
            server.wait(20)
    return log.read_text()


@pytest.mark.parametrize("options, logged", [((), False), (("--access-log",), True)], ids=["quiet", "--access-log"])
def test_it_serves_the_app_and_logs_requests_only_when_asked(tmp_path, options, logged):
    printed = serve_and_get(tmp_path, *options)

    assert "Kartei is serving at http://127.0.0.1:" in printed
    assert ("GET /login/?from=test" in printed) == logged
    assert (tmp_path / "kartei.sqlite3").exists()  # migrated a new data directory
