"""An import is all or nothing: killed with SIGKILL in the middle, it leaves the customer file as it was."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from kartei.customers.models import Customer
from kartei.transfer.models import Import

pytestmark = pytest.mark.django_db(transaction=True)

KARTEI = [sys.executable, "-c", "from kartei.cli import main; main()"]
ROWS = 150_000


def kartei(env, *args, **kwargs):
    return subprocess.run([*KARTEI, *args], env=env, capture_output=True, text=True, timeout=300, **kwargs)


def test_an_import_killed_midway_leaves_nothing_half_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if connection.vendor == "postgresql":  # the test's own database, which this test commits to
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        env["KARTEI_DATA_DIR"] = str(tmp_path / "data")
        assert kartei(env, "migrate", "-v", "0").returncode == 0
    stays = "from tests.factories import make_customer; make_customer(name='Stays')"
    assert kartei(env, "shell", "-v", "0", "-c", stays).returncode == 0
    path = tmp_path / "big.csv"
    with path.open("w") as file:
        file.write("Name,Email,City\n")
        file.writelines(f"Kunde {n},kunde{n}@example.com,Berlin\n" for n in range(ROWS))

    importing = subprocess.Popen([*KARTEI, "import", "customers", str(path)], env=env, stdout=subprocess.PIPE)
    time.sleep(6)
    assert importing.poll() is None, "still importing when it is killed"
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=30)

    count = (
        "from kartei.customers.models import Customer; from kartei.transfer.models import Import; "
        "print(Customer.objects.count(), Import.objects.count())"
    )
    counted = kartei(env, "shell", "-v", "0", "-c", count)
    assert counted.stdout.split() == ["1", "0"], counted.stderr
    if connection.vendor == "postgresql":
        assert list(Customer.objects.values_list("name", flat=True)) == ["Stays"] and not Import.objects.exists()
