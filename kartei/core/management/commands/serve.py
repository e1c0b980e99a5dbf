import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kartei.customers.demo import demo_add
from kartei.customers.tasks import schedule_trash_purge, trash_purge_due
from kartei.messaging.tasks import schedule_mailbox_read

DEMO_CUSTOMERS, DEMO_ORDERS = 500, 200


def _answers(host: str, port: int, web: subprocess.Popen, timeout: float = 60) -> bool:
    """Wait until the web server answers HTTP (any status); False if it stopped first."""
    address = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    address = f"[{address}]" if ":" in address else address
    deadline = time.monotonic() + timeout
    while web.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{address}:{port}/login/", timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.1)
    return web.poll() is None


def _wait_for_startup_purge(worker: subprocess.Popen, timeout: float = 15) -> None:
    """Wait until the task worker has run the purge queued at start (and printed its own lines about it)."""
    deadline = time.monotonic() + timeout
    while trash_purge_due() and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)


class Command(BaseCommand):
    help = "Migrate if needed, then serve Kartei with gunicorn and run one background task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
        parser.add_argument("--no-worker", action="store_true", help="Do not start a background task worker.")
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="Print a line for every request. Off by default: the proxy in front usually logs requests, and "
            "writing the line costs every request time (a few ms at the slowest 5 %% here).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="In a new installation (no customers, no staff), add 500 demo customers with 200 orders and a demo "
            "login first; the login is printed once the server answers.",
        )

    def handle(self, *args, port, host, workers, no_worker, access_log, demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        schedule_trash_purge()  # the worker purges the trash now, then daily
        schedule_mailbox_read()  # and reads the replies' mailbox, if there is one
        added = None
        if demo:
            added = demo_add(customers=DEMO_CUSTOMERS, orders=DEMO_ORDERS, if_empty=True, stream=self.stdout)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="kartei.settings", KARTEI_DATA_DIR=str(settings.DATA_DIR))
        children = []
        if not no_worker:
            worker = [sys.executable, "-m", "kartei.cli", "db_worker", "--interval", "2", "--no-startup-delay"]
            children.append(subprocess.Popen(worker, env=env))
        web = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "kartei.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4", "--graceful-timeout", "10",
                *(["--access-logfile", "-"] if access_log else []),
            ],
            env=env,
        )  # fmt: skip
        children.append(web)
        if _answers(host, port, web):
            if not no_worker:
                _wait_for_startup_purge(children[0])
            # Last, so that it is not lost among the server's own lines.
            self.stdout.write(f"\nKartei is serving at http://{host}:{port}/  (Ctrl+C stops it)")
            if added is not None and added.password:
                self.stdout.write(f"Added {added.customers:,} demo customers and {added.orders:,} orders.")
                self.stdout.write(f"Log in as:  {added.username}  /  {added.password}")
            self.stdout.flush()

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = web.wait()
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(10)
                except subprocess.TimeoutExpired:
                    child.kill()
        sys.exit(code if code > 0 else 0)
