"""The customer file is private to the user Kartei runs as: the data directory, the SQLite database, the secret
key and the customers' pictures are created readable by nobody else, whatever the umask."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kartei.customers import services
from tests.customers.test_customer_picture import image_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_and_what_kartei_writes_into_it_are_private(tmp_path):
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0o022); from kartei.cli import main; main()", "migrate", "-v", "0"],
        env={**env, "KARTEI_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    assert mode(data) == 0o700
    assert mode(data / "kartei.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "static") == 0o700
    for journal in data.glob("kartei.sqlite3-*"):
        assert mode(journal) == 0o600, journal.name


@pytest.mark.django_db
def test_a_customers_picture_is_stored_private(staff, settings):
    previous = os.umask(0o022)
    try:
        customer = services.customer_create(actor=staff, data={"name": "Bäckerei", "picture": image_file()})
    finally:
        os.umask(previous)

    picture = Path(customer.picture.path)
    assert mode(picture) == 0o600
    assert mode(picture.parent) == 0o700
