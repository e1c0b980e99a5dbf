#!/usr/bin/env python3
"""Kartei at scale: load N demo customers into a fresh database, serve it with `kartei serve`, and time over
HTTP what a user waits for: the customers page, search-as-you-type, filters, sorting and "show more", the
customer page and the API list. Prints p50/p95/max per category and writes them to docs/benchmarks.md.

    .venv/bin/python bench/run.py --backend sqlite                 # fresh SQLite db, 1,000,000 customers
    .venv/bin/python bench/run.py --backend postgres               # fresh PostgreSQL db kartei_bench
    .venv/bin/python bench/run.py --backend sqlite --reuse         # keep the loaded db, only measure

Standard library only; see bench/README.md.
"""

import argparse
import ctypes
import datetime as dt
import html
import http.client
import json
import mmap
import os
import platform
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_URL = "postgres://postgres@127.0.0.1:5432/kartei_bench"
META = "bench-load.json"


# ---------------------------------------------------------------------------------------------- set-up


def kartei(env, *args, capture=True, check=True) -> str:
    exe = VENV_BIN / "kartei"
    cmd = [str(exe) if exe.exists() else "kartei", *args]
    done = subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=capture, check=False)
    if check and done.returncode:
        sys.exit(f"`{shlex.join(cmd)}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout if capture else ""


def environment(args) -> dict:
    env = dict(os.environ, KARTEI_DATA_DIR=str(args.data_dir), DJANGO_SETTINGS_MODULE="kartei.settings")
    env.pop("DEBUG", None)
    if args.backend == "postgres":
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def fresh_database(args) -> None:
    if args.backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.data_dir}/kartei.sqlite3{suffix}").unlink(missing_ok=True)
        return
    parts = urllib.parse.urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    conn = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *conn, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *conn, name], check=True)


def load(args, env) -> dict:
    """A fresh database with N demo customers; the timing is kept next to the data for later --reuse runs."""
    fresh_database(args)
    began = time.monotonic()
    kartei(env, "migrate", "-v0")
    migrated = time.monotonic()
    print(f"loading {args.customers:,} customers ({args.backend}) ...", flush=True)
    out = kartei(env, "demo", "--customers", str(args.customers))
    done = time.monotonic()
    # The largest child so far: the demo command (migrate before it is smaller).
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    meta = {
        "customers": args.customers,
        "backend": args.backend,
        "command": f"kartei demo --customers {args.customers}",
        "migrate_seconds": round(migrated - began, 1),
        "load_seconds": round(done - migrated, 1),
        "load_peak_rss_mib": round(peak_mib),
        "loaded_at": dt.datetime.now().isoformat(timespec="seconds"),
        "output": next((line for line in out.splitlines() if line.startswith("Added")), ""),
    }
    (args.data_dir / META).write_text(json.dumps(meta, indent=1))
    print(f"loaded in {meta['load_seconds']:.0f} s: {meta['output']}", flush=True)
    return meta


def database_size(args, env) -> str:
    if args.backend == "sqlite":
        total = sum(p.stat().st_size for p in args.data_dir.glob("kartei.sqlite3*"))
        return f"{total / 2**30:.2f} GiB (file + WAL)"
    out = kartei(env, "shell", "-c",
                 "from django.db import connection\n"
                 "c = connection.cursor(); c.execute('SELECT pg_size_pretty(pg_database_size(current_database()))')\n"
                 "print(c.fetchone()[0])")  # fmt: skip
    return out.strip().splitlines()[-1] + " (pg_database_size)"


def server_settings(args, env) -> str:
    """PostgreSQL's memory settings: "deploy" when it has what docs/deploy.md asks for (shared_buffers of 1 GB or
    more), else "stock"; the two runs are kept side by side in docs/benchmarks.md. SQLite: ""."""
    if args.backend == "sqlite":
        return ""
    out = kartei(env, "shell", "-c",
                 "from django.db import connection\n"
                 "c = connection.cursor(); c.execute(\"SELECT pg_size_bytes(current_setting('shared_buffers'))\")\n"
                 "print(c.fetchone()[0])")  # fmt: skip
    return "deploy" if int(out.strip().splitlines()[-1]) >= 2**30 else "stock"


def prewarm(args, env) -> None:
    """Read the database into the OS page cache, as a server in use has it (this VM also reclaims page cache
    that sits idle, so a database loaded minutes ago may be back on disk)."""
    began = time.monotonic()
    if args.backend == "sqlite":
        for path in args.data_dir.glob("kartei.sqlite3*"):
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass
    else:
        kartei(env, "shell", "-c",
               "from django.db import connection\nc = connection.cursor()\n"
               "c.execute('CREATE EXTENSION IF NOT EXISTS pg_prewarm')\n"
               "c.execute(\"SELECT sum(pg_prewarm(oid::regclass, 'read')) FROM pg_class "
               "WHERE relkind IN ('r', 'i') AND relnamespace = 'public'::regnamespace\")")  # fmt: skip
    print(f"database read into the page cache in {time.monotonic() - began:.0f} s", flush=True)


class Pinned:
    """--pin: the database files mapped read-only and mlock()ed while the benchmark runs, so the kernel cannot
    drop them from the page cache. This VM pages out memory idle for about a minute (DAMON "pageout"), which a
    server with RAM to spare does not do; pinning measures that server. Nothing is written; unpinned on exit."""

    def __init__(self, paths: list[Path]):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.libc.mmap.restype = ctypes.c_void_p
        self.libc.mmap.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_long,
        ]
        self.libc.mlock.argtypes = self.libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        self.maps, self.size = [], 0
        for path in paths:
            size = path.stat().st_size if path.exists() else 0
            if size == 0:
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                address = self.libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
            finally:
                os.close(fd)
            if address in (None, ctypes.c_void_p(-1).value):
                sys.exit(f"mmap {path}: {os.strerror(ctypes.get_errno())}")
            self.maps.append((address, size))
            if self.libc.mlock(address, size) != 0:
                self.close()
                sys.exit(f"mlock {path}: {os.strerror(ctypes.get_errno())}")
            self.size += size

    def close(self):
        for address, size in self.maps:
            self.libc.munmap(address, size)  # also unlocks
        self.maps = []


def database_files(args, env) -> list[Path]:
    if args.backend == "sqlite":
        return sorted(args.data_dir.glob("kartei.sqlite3*"))
    out = kartei(env, "shell", "-c",
                 "from django.db import connection\nc = connection.cursor()\n"
                 "c.execute(\"SELECT current_setting('data_directory') || '/' || pg_relation_filepath(oid) "
                 "FROM pg_class WHERE relkind IN ('r', 'i', 't') AND pg_relation_filepath(oid) IS NOT NULL "
                 "AND relnamespace IN ('public'::regnamespace, 'pg_toast'::regnamespace)\")\n"
                 "print('\\n'.join(r[0] for r in c.fetchall()))")  # fmt: skip
    files = []
    for line in out.split():
        if line.startswith("/"):
            base = Path(line)
            files += [base, *sorted(base.parent.glob(base.name + ".[0-9]*"))]
    return [f for f in files if f.exists()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kartei serve` in its own process group, stopped with SIGTERM (it stops gunicorn and the worker)."""

    def __init__(self, env, port: int, log: Path):
        self.port = port
        self.log = open(log, "w")
        exe = VENV_BIN / "kartei"
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"kartei serve exited; see {log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/login/")
                if c.getresponse().status == 200:
                    c.close()
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"kartei serve did not answer within 120 s; see {log}")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


# ---------------------------------------------------------------------------------------------- client


class Client:
    """One keep-alive connection with a cookie jar, like a browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None) -> tuple[int, bytes, float, dict]:
        h = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "de", **self.headers, **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                began = time.perf_counter()
                self.conn.request(method, path, body=body, headers=h)
                response = self.conn.getresponse()
                data = response.read()
                took = time.perf_counter() - began
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once, and time the retry alone.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data, took, dict(response.headers)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def login(self, username: str, password: str) -> None:
        status, body, _, _ = self.get("/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, body, _, _ = self.request(
            "POST", "/login/", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/login/"},
        )  # fmt: skip
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"login failed: {status} {body[:300]!r}")


def url(path: str, **params) -> str:
    pairs = []
    for key, value in params.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((key, v))
    return path + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


# ---------------------------------------------------------------------------------------------- workload


def typed(text: str) -> list[str]:
    """What the search box holds after each key press: "mü" -> ["m", "mü"] (spaces alone send nothing new)."""
    return [text[:i] for i in range(1, len(text) + 1) if not text[:i].endswith(" ")]


COMMON_WORDS = ["müller", "schmidt", "kowalski", "anna", "smith"]
MULTI_WORDS = ["anna müller", "müller bäckerei", "jan nowak"]
RARE_WORDS = ["görlitz zahntechnik", "brewery", "kwiaciarnia gdynia", "bärbel kühn"]
NO_HIT = ["xyzzy", "müllerx", "qwq", "anna zzz"]
PHONE = ["0171 23", "+49 171", "0151", "+48 50", "030 12"]
VAT = ["DE1", "DE12", "DE123", "de 123 45"]
FILTERS_ALONE = [
    {"status": "potential"},
    {"temperature": "hot"},
    {"temperature": ["cold", "not_interested"]},
    {"tag": "VIP"},
    {"tag": ["VIP", "Großhandel"]},
    {"active": "false"},
    {"status": "potential", "temperature": "hot", "tag": "VIP"},
    {"active": "false", "tag": "Zahlt spät", "temperature": "cold"},
]
FILTERS_SEARCH = [
    {"q": "m", "status": "potential", "temperature": "hot"},
    {"q": "müller", "tag": "VIP"},
    {"q": "schmidt", "active": "false"},
    {"q": "a", "tag": ["VIP", "B2B"]},
    {"q": "kowal", "temperature": "cold", "active": "false"},
    {"q": "xyzzy", "status": "current"},
    {"q": "0171", "tag": "Stammkunde"},
]
SORTS = ["name", "-name", "city", "-city", "email", "oldest", "joined"]
API_QUERIES = [
    {},
    {"q": "m"},
    {"q": "müller"},
    {"q": "xyzzy"},
    {"q": "0171 23"},
    {"status": "potential", "q": "s"},
    {"tag": "VIP", "sort": "name"},
    {"sort": "city"},
    {"limit": 100},
]


def phone_forms(e164: str) -> list[str]:
    """A number as people write it: +49 171 2345678, 0171 2345678, 0049 171 2345678, 0171-234 56 78."""
    for code, trunk in (("+49", "0"), ("+44", "0"), ("+48", "")):
        if e164.startswith(code):
            national = trunk + e164[len(code) :]
            break
    else:
        return [e164]
    rest = e164[len(code) :]
    return [
        f"{code} {rest[:3]} {rest[3:]}",
        f"{national[:4]} {national[4:]}",
        f"00{code[1:]} {rest[:3]} {rest[3:]}",
        f"{national[:4]}-{national[4:7]} {national[7:9]} {national[9:]}",
    ]


class Bench:
    def __init__(self, client: Client, token: str, rng: random.Random):
        self.c = client
        self.token = token
        self.rng = rng
        self.timings: dict[str, list[float]] = {}
        self.slowest: dict[str, tuple[float, str]] = {}
        self.log: list[tuple[str, float, str]] = []  # every timed request, for requests.json
        self.recording = True
        self.requests = 0

    def hit(self, category: str, path: str, *, htmx=False, api=False, expect=200) -> bytes:
        headers = {}
        if htmx:
            headers = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": f"http://127.0.0.1{path}"}
        if api:
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        status, body, took, _ = self.c.get(path, headers=headers)
        self.requests += 1
        if status != expect:
            raise SystemExit(f"{path}: HTTP {status} (expected {expect})\n{body[:500]!r}")
        if self.recording:
            self.timings.setdefault(category, []).append(took)
            self.log.append((category, took, urllib.parse.unquote(path)))
            if took > self.slowest.get(category, (0, ""))[0]:
                self.slowest[category] = (took, urllib.parse.unquote(path))
        # A list longer than its first page is counted by a request the page makes once it is shown.
        for count_path in re.findall(rb'hx-get="(/customers/count/[^"]*)"', body):
            self.hit(COUNTS, html.unescape(count_path.decode()), htmx=True)
        return body

    def api_json(self, path: str) -> dict:
        status, body, _, _ = self.c.get(path, headers={"Authorization": f"Bearer {self.token}"})
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}\n{body[:500]!r}")
        return json.loads(body)

    def sample_customers(self, n: int) -> list[dict]:
        """Real customers spread over the whole table, for queries that find exactly one (email, phone, VAT ID)."""
        newest = self.api_json(url("/api/v1/customers", limit=1))["items"][0]["id"]
        oldest = self.api_json(url("/api/v1/customers", limit=1, sort="oldest"))["items"][0]["id"]
        found = []
        while len(found) < n:
            pk = self.rng.randint(oldest, newest)
            status, body, _, _ = self.c.get(
                f"/api/v1/customers/{pk}", headers={"Authorization": f"Bearer {self.token}"}
            )
            if status == 200:
                found.append(json.loads(body))
        return found

    def type_sequence(self, category: str, text: str, view="cards"):
        for prefix in typed(text):
            self.hit(category, url("/customers/", q=prefix, view=view), htmx=True)

    def show_more(self, category: str, body: bytes, params: dict, view: str, pages: int):
        for _ in range(pages):
            match = re.search(rb'hx-get="[^"]*?cursor=([^&"]+)(?:&(?:amp;)?section=(\w+))?', body)
            if not match:
                return
            cursor = html.unescape(urllib.parse.unquote(match.group(1).decode()))
            extra = {"section": match.group(2).decode()} if match.group(2) else {}
            body = self.hit(category, url("/customers/", **params, cursor=cursor, view=view, **extra), htmx=True)

    def round(self, customers: list[dict]):
        rng = self.rng
        # The customers page, whole page and htmx refresh, both views.
        for view in ("cards", "table"):
            self.hit("list, no query", url("/customers/", view=view))
            self.hit("list, no query", url("/customers/", view=view), htmx=True)
        # Search as you type.
        for word in COMMON_WORDS:
            self.type_sequence("type: common word", word)
        self.type_sequence("type: common word", "schmidt", view="table")
        for letter in "smkaeb":
            self.hit("one letter", url("/customers/", q=letter, view=rng.choice(["cards", "table"])), htmx=True)
        for words in MULTI_WORDS:
            self.type_sequence("type: two words", words)
        for words in RARE_WORDS:
            self.type_sequence("type: rare word", words)
        for words in NO_HIT:
            self.type_sequence("type: no hit", words)
        for customer in customers:
            if customer.get("email"):
                self.type_sequence("type: email", customer["email"].split("@")[0][:14])
            if customer.get("phone"):
                national = customer["phone"].replace("+49", "0").replace("+48", "").replace("+44", "0")
                for q in (national[:4], national[:4] + " " + national[4:7], national[:4] + " " + national[4:]):
                    self.hit("phone", url("/customers/", q=q, view="cards"), htmx=True)
            if customer.get("vat_id"):
                vat = customer["vat_id"]
                for q in (vat[:3], vat[:6], vat):
                    self.hit("VAT ID", url("/customers/", q=q, view="cards"), htmx=True)
        # Whole keys pasted from a signature or an invoice: looked up, not searched word by word.
        for customer in customers:
            if customer.get("email"):
                email = customer["email"]
                for q in (email, email.upper(), f" {email.capitalize()} "):
                    self.hit("whole e-mail", url("/customers/", q=q, view="cards"), htmx=True)
                self.hit("whole e-mail", url("/api/v1/customers", q=email), api=True)
            if customer.get("phone"):
                for q in phone_forms(customer["phone"]):
                    self.hit("whole phone", url("/customers/", q=q, view="cards"), htmx=True)
                self.hit("whole phone", url("/api/v1/customers", q=customer["phone"]), api=True)
            if customer.get("vat_id"):
                vat = customer["vat_id"]
                spaced = " ".join(vat[i : i + 3] for i in range(0, len(vat), 3))
                for q in (vat, vat.lower(), spaced):
                    self.hit("whole VAT ID", url("/customers/", q=q, view="cards"), htmx=True)
                self.hit("whole VAT ID", url("/api/v1/customers", q=spaced), api=True)
        self.hit("whole e-mail", url("/customers/", q="nobody.at.all@example.com", view="cards"), htmx=True)
        for q in PHONE:
            self.hit("phone", url("/customers/", q=q, view="cards"), htmx=True)
        for q in VAT:
            self.hit("VAT ID", url("/customers/", q=q, view="cards"), htmx=True)
        # Filters, alone and with a search, in both views.
        for params in FILTERS_ALONE:
            for view in ("cards", "table"):
                self.hit("filters", url("/customers/", **params, view=view), htmx=True)
        for params in FILTERS_SEARCH:
            for view in ("cards", "table"):
                self.hit("filters + search", url("/customers/", **params, view=view), htmx=True)
        # Sorted table and "show more" (three pages deep), also with a search and in the cards' sections.
        for sort in SORTS:
            body = self.hit("sort + show more", url("/customers/", sort=sort, view="table"), htmx=True)
            self.show_more("sort + show more", body, {"sort": sort}, "table", 3)
        for params in (
            {"q": "m", "sort": "name"},
            {"q": "anna", "sort": "city"},
            {"status": "potential", "sort": "-name"},
        ):
            body = self.hit("sort + show more", url("/customers/", **params, view="table"), htmx=True)
            self.show_more("sort + show more", body, params, "table", 3)
        body = self.hit("list, no query", url("/customers/", view="cards"), htmx=True)
        self.show_more("sort + show more", body, {}, "cards", 3)
        # The customer page.
        for customer in customers:
            self.hit("customer page", f"/customers/{customer['id']}/")
        # The API list, with a next page.
        for params in API_QUERIES:
            data = json.loads(self.hit("API list", url("/api/v1/customers", **params), api=True))
            if data.get("next_cursor"):
                self.hit("API list", url("/api/v1/customers", **params, cursor=data["next_cursor"]), api=True)


# ---------------------------------------------------------------------------------------------- report


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


COUNTS = "count (after a list)"


def summary(timings: dict[str, list[float]]) -> list[tuple[str, int, float, float, float]]:
    def row(name, values):
        return name, len(values), statistics.median(values) * 1000, pct(values, 95) * 1000, max(values) * 1000

    rows = [row(name, values) for name, values in timings.items()]
    # The counts are many and cheap: they would flatter the overall figures, so these are also given without.
    rows.append(row("all but counts", [v for name, values in timings.items() if name != COUNTS for v in values]))
    rows.append(row("all requests", [v for values in timings.values() for v in values]))
    return rows


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem}, {platform.system()} {platform.release()}"


def versions(args, env) -> str:
    code = (
        "import sqlite3, django; from django.db import connection\n"
        "v = connection.cursor()\n"
        "v.execute('select sqlite_version()' if connection.vendor == 'sqlite' else 'show server_version')\n"
        "info = v.fetchone()[0]\n"
        "if connection.vendor == 'postgresql':\n"
        "    v.execute(\"select string_agg(name || ' ' || current_setting(name), ', ' order by name)\"\n"
        '              " from pg_settings where name in"\n'
        "              \" ('shared_buffers', 'effective_cache_size', 'work_mem', 'autovacuum')\")\n"
        "    info += ' (' + v.fetchone()[0] + ')'\n"
        "print(f'Django {django.get_version()}, {connection.vendor} {info}')"
    )
    return kartei(env, "shell", "-c", code).strip().splitlines()[-1] + f", Python {platform.python_version()}"


SETTINGS_TITLE = {
    "deploy": ", configured as docs/deploy.md says",
    "stock": ", stock settings (shared_buffers 128 MB)",
    "": "",
}


def markdown(args, rows, meta, info) -> str:
    lines = [
        f"### {'SQLite' if args.backend == 'sqlite' else 'PostgreSQL'}{SETTINGS_TITLE[info['settings']]}"
        f"{', database files pinned (--pin)' if args.pin else ''}",
        "",
        f"- date: {info['date']}",
        f"- command: `{info['command']}`",
        f"- machine: {info['machine']}",
        f"- software: {info['versions']}",
        f"- data: {info['customers']} customers, database {info['size']}",
    ]
    if meta:
        how = "this run" if info["loaded_now"] else f"an earlier run ({meta.get('loaded_at')}, reused with --reuse)"
        migrate = f" ({meta['migrate_seconds']:.0f} s migrate before it)" if meta.get("migrate_seconds") else ""
        rss = f", peak RSS {meta['load_peak_rss_mib']:,} MiB" if meta.get("load_peak_rss_mib") else ""
        lines.append(f"- load: `{meta['command']}` took {meta['load_seconds']:.0f} s{rss}{migrate}, in {how}")
        if meta.get("note"):
            lines.append(f"  ({meta['note']})")
    lines += [
        f"- requests: {info['requests']} timed ({args.rounds} rounds after one untimed warm-up round), one keep-alive "
        f"connection, sequential, `kartei serve` defaults (gunicorn 2 workers x 4 threads)",
        f"- page cache: {info['cache']}",
        "",
        "| category | requests | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, n, p50, p95, worst in rows:
        bold = "**" if name in ("all requests", "all but counts") else ""
        lines.append(f"| {bold}{name}{bold} | {n} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    lines += ["", "Slowest request per category:", ""]
    for name, (took, path) in info["slowest"].items():
        lines.append(f"- {name}: {took * 1000:.1f} ms `{path}`")
    return "\n".join(lines) + "\n"


def write_docs(path: Path, backend: str, section: str) -> None:
    start, end = f"<!-- bench:{backend}:start -->", f"<!-- bench:{backend}:end -->"
    text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures written by `bench/run.py`.\n"
    block = f"{start}\n{section}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# ---------------------------------------------------------------------------------------------- query plans

# Run inside `kartei shell`: each case calls the real query functions (customer_page, bounded_count) with the
# queries captured, then replays what they sent - planner settings included - under EXPLAIN.
PLANS_CODE = r"""
import re, time
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from kartei.customers.queries import CustomerFilter, bounded_count, customer_page

CASES = [
    ("one-letter prefix", {"q": "m"}, False),
    ("rare word", {"q": "görlitz zahntechnik"}, False),
    ("no-hit word", {"q": "xyzzy"}, False),
    ("filters + search", {"q": "m", "status": "potential", "temperature": ["hot"], "tags": ["VIP"]}, False),
    ("filters alone", {"tags": ["VIP"], "temperature": ["cold", "not_interested"], "active": "false"}, False),
    ("default list", {}, False),
    ("sort by name, second page", {"sort": "name"}, True),
    ("sort by name + search, second page", {"sort": "name", "q": "anna"}, True),
    ("sort by name + a word that clusters in that order", {"sort": "name", "q": "kwiaciarnia"}, False),
]
# Whole keys of a customer in the middle of the file, written as people paste them.
from kartei.customers.models import Customer
import phonenumbers
keyed = (Customer.objects.exclude(email="").exclude(phone="").exclude(vat_id="")
         .filter(id__gte=Customer.objects.order_by("-id").values_list("id", flat=True)[0] // 2).order_by("id")[0])
national = phonenumbers.format_number(phonenumbers.parse(keyed.phone), phonenumbers.PhoneNumberFormat.NATIONAL)
CASES += [
    ("whole e-mail address, another case", {"q": keyed.email.upper()}, False),
    ("whole phone number, national with spaces", {"q": national}, False),
    ("whole VAT ID with spaces", {"q": keyed.vat_id[:2] + " " + keyed.vat_id[2:7] + " " + keyed.vat_id[7:]}, False),
    ("whole e-mail address + filters", {"q": keyed.email, "status": keyed.status, "active": "true"}, False),
]
LIST_SQL = re.compile(r'customers_customer_fts|customers_customer_search|FROM "customers_customer"( |$)')
DETAILS = (
    'FROM "customers_address"',
    'FROM "customers_note"',
    'FROM "customers_customer_tags"',
    'FROM "customers_tag"',
)
RESET = ("SELECT set_config('enable_bitmapscan', 'on', true), set_config('enable_indexscan', 'on', true), "
         "set_config('enable_indexonlyscan', 'on', true), set_config('enable_seqscan', 'on', true)")
pg = connection.vendor == "postgresql"

def cut(line, width):
    return line if len(line) < width else line[:width] + " …"

def show(sql):
    short = re.sub(r'SELECT "customers_customer"\."id", .*? FROM', 'SELECT "customers_customer".* FROM', sql)
    print("    " + cut(short, 400))

for title, params, second_page in CASES:
    f = CustomerFilter.from_params(**params)
    cursor = None
    if second_page:
        _rows, cursor = customer_page(f)
    with CaptureQueriesContext(connection) as captured:
        customer_page(f, cursor=cursor)
        bounded_count(f)
    print(f"#### {title}: `{params}`{' (the page after the first)' if second_page else ''}")
    print("```")
    with transaction.atomic(), connection.cursor() as c:
        for q in captured.captured_queries:
            sql = q["sql"]
            if sql.startswith(("BEGIN", "ROLLBACK", "SAVEPOINT", "RELEASE", "COMMIT")):
                if pg:
                    c.execute(RESET)
                continue
            if "set_config(" in sql:
                c.execute(sql)
                continue
            listed = sql.startswith("SELECT") and LIST_SQL.search(sql)
            if not listed or sql.startswith(DETAILS) or any(d in sql.split(" WHERE ")[0] for d in DETAILS):
                continue
            show(sql)
            if pg:
                c.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                for (line,) in c.fetchall():
                    if not line.startswith("Planning"):
                        print("      " + cut(line, 400))  # a plan may list thousands of ids
            else:
                c.execute("EXPLAIN QUERY PLAN " + sql)
                for row in c.fetchall():
                    print("      " + row[-1])
                began = time.perf_counter()
                c.execute(sql)
                c.fetchall()
                print(f"      ({(time.perf_counter() - began) * 1000:.1f} ms)")
        transaction.set_rollback(True)
    print("```")
"""


def plans(args, env) -> str:
    print("EXPLAIN for the list queries ...", flush=True)
    out = kartei(env, "shell", "-c", PLANS_CODE)
    return out[out.find("####") :] if "####" in out else out


# ---------------------------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, help="default: var/bench/<backend>")
    parser.add_argument("--database-url", default=PG_URL, help=f"PostgreSQL only (default {PG_URL})")
    parser.add_argument("--reuse", action="store_true", help="keep an already-loaded database, do not load again")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up (default 3)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="print only, do not write docs/benchmarks.md")
    parser.add_argument("--pin", action="store_true", help="mlock the database files while measuring (see Pinned)")
    parser.add_argument(
        "--prewarm", action="store_true", help="read the database files into the page cache before measuring"
    )
    parser.add_argument("--plans", action="store_true", help="only print (and write) EXPLAIN of the list queries")
    args = parser.parse_args()
    args.rounds = max(1, min(args.rounds, 20))
    args.reuse = args.reuse or args.plans  # plans are read from the database already loaded
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / args.backend).resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])

    meta, loaded_now = None, False
    if args.reuse:
        if (args.data_dir / META).exists():
            meta = json.loads((args.data_dir / META).read_text())
        kartei(env, "migrate", "-v0")
    else:
        meta, loaded_now = load(args, env), True
    # `demo --customers 0` adds nobody and (re)sets the demo login's password.
    login_out = kartei(env, "demo", "--customers", "0")
    username, password = re.search(r"Log in as:\s+(\S+)\s+/\s+(\S+)", login_out).groups()
    token = kartei(env, "token", "create", username).strip().splitlines()[-1].strip()
    count_code = "from kartei.customers.models import Customer; print(Customer.objects.count())"
    count = kartei(env, "shell", "-c", count_code).split()[-1]

    if args.plans:
        text = plans(args, env)
        print(text)
        if not args.no_docs:
            title = "SQLite" if args.backend == "sqlite" else "PostgreSQL"
            head = f"### {title}\n\nPlans at {int(count):,} customers, {dt.date.today().isoformat()}, `{command}`:\n\n"
            write_docs(args.docs, f"plans:{args.backend}", head + text)
        return
    settings = server_settings(args, env)
    if args.prewarm:
        prewarm(args, env)
    pinned = Pinned(database_files(args, env)) if args.pin else None
    if pinned:
        print(f"pinned {pinned.size / 2**30:.2f} GiB of database files in memory", flush=True)
    port = args.port or free_port()
    server = Server(env, port, args.data_dir / "serve.log")
    try:
        client = Client(port)
        client.login(username, password)
        bench = Bench(client, token, random.Random(args.seed))
        print(f"serving {int(count):,} customers on port {port}; warm-up round ...", flush=True)
        bench.recording = False
        bench.round(bench.sample_customers(4))
        bench.recording = True
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds} ...", flush=True)
            bench.round(bench.sample_customers(4))
    finally:
        server.stop()
        if pinned:
            pinned.close()

    rows = summary(bench.timings)
    # Every timed request, slowest first, to see which ones make a category's p95.
    log = sorted(bench.log, key=lambda r: -r[1])
    (args.data_dir / "requests.json").write_text(json.dumps([[c, round(t * 1000, 1), p] for c, t, p in log], indent=0))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'category':<{width}}  {'n':>5}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    for name, n, p50, p95, worst in rows:
        print(f"{name:<{width}}  {n:>5}  {p50:>8.1f}  {p95:>8.1f}  {worst:>8.1f}")
    info = {
        "date": dt.date.today().isoformat(),
        "command": command,
        "machine": machine(),
        "versions": versions(args, env),
        "customers": f"{int(count):,}",
        "size": database_size(args, env),
        "requests": sum(len(v) for v in bench.timings.values()),
        "slowest": bench.slowest,
        "loaded_now": loaded_now,
        "settings": settings,
        "cache": (
            f"database files ({pinned.size / 2**30:.2f} GiB) read in and mlock()ed for the run (--pin)"
            if pinned
            else "database files read in before the run (--prewarm); this VM pages out memory idle for ~1 minute"
            if args.prewarm
            else "as the load left it: measured right after it, nothing run in between (no VACUUM, ANALYZE or "
            "prewarming by hand); this VM pages out memory idle for ~1 minute"
        ),
    }
    if not args.no_docs:
        key = "-".join(filter(None, (args.backend, settings, "pinned" if args.pin else "")))
        write_docs(args.docs, key, markdown(args, rows, meta, info))
        print(f"\nwritten to {args.docs}")


if __name__ == "__main__":
    if shutil.which("kartei") is None and not (VENV_BIN / "kartei").exists():
        sys.exit("kartei is not installed; run from the project with its .venv")
    main()
