"""The timeline at scale: 10,000,000 events over 1,000,000 customers (one of them with 100,000), over HTTP, on
SQLite or PostgreSQL.

1. a fresh database (SQLite: var/bench/timeline-sqlite/; PostgreSQL: kartei_bench_timeline), migrated and loaded
   with `kartei demo --customers C`; then events up to --events in all, written straight into the events table
   by one INSERT … SELECT (a mix of kinds as a business records them: notes, field changes, orders and their
   steps, comments, messages sent and replies received, by five colleagues, the customers and the system, over
   three years), --big of them on one customer; nothing run after it (no ANALYZE, no VACUUM);
2. `kartei serve` (gunicorn + the task worker, as in production); staff log in through the login form;
3. one untimed warm-up round, then --rounds timed rounds of: the customer page and the timeline's first page
   (htmx, as the filter asks for it) of sample customers; the page of the customer with --big events, its
   timeline narrowed to a kind and scrolled three pages down; the activity page with no filter, each kind of
   filter and its next page, and the same through the API; the home page (the customers page and the
   navigation's unread counts, then what needs attention, which it fetches once the list is shown);
4. a reply by e-mail piped to `kartei mail receive`, from the start of the command until the customer's
   timeline shows it;
5. prints p50/p95/max per category and writes them to docs/benchmarks.md (between
   `<!-- bench:timeline-BACKEND[-SETTINGS]:start/end -->`).

    .venv/bin/python bench/timeline.py --backend postgres
    .venv/bin/python bench/timeline.py --backend sqlite
    .venv/bin/python bench/timeline.py --backend postgres --reuse     # measure again without reloading
    .venv/bin/python bench/timeline.py --backend sqlite --customers 20000 --events 200000 --big 20000 --no-docs
"""

import argparse
import datetime as dt
import json
import random
import re
import shlex
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402  (the customers benchmark's set-up and client)
    ROOT,
    VENV_BIN,
    Client,
    Server,
    database_size,
    environment,
    free_port,
    fresh_database,
    kartei,
    machine,
    pct,
    server_settings,
    versions,
    write_docs,
)

PG_URL = "postgres://postgres@127.0.0.1:5432/kartei_bench_timeline"
META = "bench-load.json"
SAMPLE = 40  # customers whose pages are opened each round
STAFF = 5

# (kind, actor type, data as JSON, weight): what a business records, roughly as often as it does.
MIX = [
    ("note.added", "staff", '{"priority": "none"}', 20),
    ("customer.updated", "staff", '{"changes": {"phone": ["", "+4930123456"]}}', 15),
    ("order.placed", "staff", '{"number": "2025-000042", "total": "129.5", "currency": "EUR", "source": "staff"}', 12),
    ("order.status_changed", "staff", '{"number": "2025-000042", "from": "confirmed", "to": "shipped"}', 18),
    ("comment.added", "staff", '{"text": "Bitte nächste Woche anrufen, Muster sind unterwegs."}', 10),
    ("message.sent", "staff", '{"subject": "Ihr Angebot"}', 8),
    ("message.received", "customer", '{"text": "Danke, passt so.", "sender": "kunde@example.de"}', 5),
    ("order.placed", "customer", '{"number": "2025-000043", "total": "89", "currency": "EUR", "source": "quick_order"}',
     5),
    ("customer.deactivated", "system", "{}", 2),
    ("quick_order_link.created", "staff", "{}", 5),
]  # fmt: skip

SETUP_CODE = r"""
import json
from django.contrib.auth import get_user_model
from kartei.customers.models import Customer
User = get_user_model()
staff = []
for i in range(%(staff)d):
    user, _ = User.objects.get_or_create(username=f"bench{i}", defaults={"first_name": f"Kollegin {i}"})
    staff.append(user.pk)
ids = Customer.objects.order_by("id").values_list("id", flat=True)
first, last = ids.first(), ids.last()
print(json.dumps({"staff": staff, "first": first, "last": last, "count": Customer.objects.count()}))
"""

SAMPLE_CODE = r"""
import json, random
from kartei.customers.models import Customer
from kartei.timeline.models import Event
rng = random.Random(%(seed)d)
first, last = %(first)d, %(last)d
sample = [rng.randint(first, last) for _ in range(%(sample)d)]
names = list(Customer.objects.filter(pk__in=sample[:6]).values_list("name", "email"))
print(json.dumps({"sample": sample, "names": names, "events": Event.objects.count()}))
"""

# A reply to a message sent to the customer: the message (with its reply token) is made here; the reply is piped
# to `kartei mail receive` as a mail server does.
REPLY_CODE = r"""
import json
from django.utils import timezone
from kartei.customers.models import Customer
from kartei.messaging.models import Conversation, Message
from kartei.messaging.services import new_reply_token
from kartei.portal.services import token_hash
customer = Customer.objects.get(pk=%(pk)d)
if not customer.email:
    Customer.objects.filter(pk=customer.pk).update(email=f"bench-{customer.pk}@example.de")
    customer.refresh_from_db()
conversation, _ = Conversation.objects.get_or_create(customer=customer)
token = new_reply_token()
Message.objects.create(conversation=conversation, direction="out", state="sent", subject="Angebot",
                       body="Guten Tag", reply_token_hash=token_hash(token), sent_at=timezone.now())
print(json.dumps({"token": token, "email": customer.email}))
"""


def insert_events(args, env, setup: dict) -> None:
    """Events up to args.events in all, --big of them on the first customer, by one INSERT … SELECT."""
    have = int(kartei(env, "shell", "-c", "from kartei.timeline.models import Event; print(Event.objects.count())")
               .strip().splitlines()[-1])  # fmt: skip
    wanted = max(0, args.events - have - args.big)
    total_weight = sum(w for *_, w in MIX)
    cases, upper = [], 0
    for kind, actor_type, data, weight in MIX:
        upper += weight
        cases.append((upper / total_weight, kind, actor_type, data))
    first, span, staff = setup["first"], setup["last"] - setup["first"] + 1, setup["staff"]
    if args.backend == "postgres":
        rnd, cust = "random()", f"{first} + floor(random() * {span})::bigint"
        pick_staff = f"(ARRAY{staff})[1 + floor(random() * {len(staff)})::int]"
        when = "now() - random() * interval '1095 days'"
        series = "generate_series(1, {n}) AS g(i)"
    else:
        rnd, cust = "(abs(random()) % 1000000) / 1000000.0", f"{first} + abs(random()) % {span}"
        pick_staff = "CASE abs(random()) % {n} {whens} END".format(
            n=len(staff), whens=" ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(staff))
        )
        when = (
            "strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (abs(random()) % 94608000) || ' seconds') || '.' || "
            "printf('%06d', abs(random()) % 1000000)"
        )  # as Django writes them: microseconds, six digits
        series = "(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) SELECT i FROM g)"

    def case(column: int) -> str:
        parts = " ".join(f"WHEN r < {bound} THEN '{c[column]}'" for bound, *c in cases)
        return f"CASE {parts} ELSE '{cases[-1][1 + column]}' END"

    kind, actor_type, data = (case(i) for i in range(3))
    for n, customer in ((wanted, "c"), (args.big, str(first))):  # spread over all customers, then on the first
        if n <= 0:
            continue
        # Materialised: each row's random draw is read three times (kind, actor, data) and must be one draw.
        sql = f"""
            WITH picked AS MATERIALIZED (SELECT {rnd} AS r, {cust} AS c FROM {series.format(n=n)})
            INSERT INTO timeline_event (customer_id, kind, actor_type, actor_id, data, created_at)
            SELECT {customer}, {kind}, {actor_type}, CASE WHEN {actor_type} = 'staff' THEN {pick_staff} END,
                   {data}, {when}
            FROM picked
        """
        if args.backend == "postgres":
            sql = sql.replace(f"{data}, {when}", f"({data})::jsonb, {when}")
        code = f"from django.db import connection\nconnection.cursor().execute({sql!r})\n"
        print(f"inserting {n:,} events {'spread' if customer == 'c' else 'on one customer'} ...", flush=True)
        kartei(env, "shell", "-c", code)


def load(args, env) -> dict:
    fresh_database(args)
    began = time.monotonic()
    kartei(env, "migrate", "-v0")
    print(f"loading: kartei demo --customers {args.customers} ({args.backend}) ...", flush=True)
    kartei(env, "demo", "--customers", str(args.customers))
    demo_done = time.monotonic()
    setup = json.loads(kartei(env, "shell", "-c", SETUP_CODE % {"staff": STAFF}).strip().splitlines()[-1])
    insert_events(args, env, setup)
    meta = {
        "command": f"kartei demo --customers {args.customers}, then events to {args.events:,} ({args.big:,} on one)",
        "demo_seconds": round(demo_done - began, 1),
        "events_seconds": round(time.monotonic() - demo_done, 1),
        "setup": setup,
        "loaded_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    (args.data_dir / META).write_text(json.dumps(meta, indent=1))
    print(f"loaded: demo {meta['demo_seconds']:.0f} s, events {meta['events_seconds']:.0f} s", flush=True)
    return meta


class Bench:
    def __init__(self, staff: Client, sample: dict, setup: dict, rng: random.Random):
        self.staff, self.sample, self.setup, self.rng = staff, sample, setup, rng
        self.timings: dict[str, list[float]] = {}
        self.slowest: dict[str, tuple[float, str]] = {}
        self.recording = False

    def timed(self, category: str, path: str, *, htmx=False, api=False, expect=(200,)) -> bytes:
        headers = {"HX-Request": "true"} if htmx else {}
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        status, body, took, _ = self.staff.request("GET", path, headers=headers)
        if status not in expect:
            sys.exit(f"GET {path}: {status} (expected {expect})\n{body[:500]!r}")
        if self.recording:
            self.timings.setdefault(category, []).append(took)
            if took > self.slowest.get(category, (0, ""))[0]:
                self.slowest[category] = (took, path)
        return body

    def round(self) -> None:
        for pk in self.sample["sample"]:
            self.timed("customer page", f"/customers/{pk}/")
            self.timed("timeline, first page (htmx)", f"/customers/{pk}/?kind=", htmx=True)
        big = self.setup["first"]
        self.timed("customer with the most events: page", f"/customers/{big}/")
        for kind in ("note", "order", "message", "comment.added"):
            self.timed("… its timeline narrowed to a kind", f"/customers/{big}/?kind={kind}", htmx=True)
        body = self.timed("… its timeline scrolled (next pages)", f"/customers/{big}/?kind=", htmx=True)
        for _ in range(3):
            more = re.search(rb'hx-get="[^"]*?cursor=([^"&]+)"', body)
            if not more:
                break
            cursor = urllib.parse.unquote(more.group(1).decode().replace("&amp;", "&"))
            body = self.timed("… its timeline scrolled (next pages)",
                              f"/customers/{big}/?kind=&cursor={urllib.parse.quote(cursor)}", htmx=True)  # fmt: skip
        name, email = self.rng.choice(self.sample["names"])
        filters = ["", "kind=note", "kind=message", "kind=message.received", "kind=customer.deactivated",
                   f"actor={self.rng.choice(self.setup['staff'])}", "actor=customer", "actor=system",
                   f"customer={urllib.parse.quote(name.split()[0])}",
                   f"customer={urllib.parse.quote(email or name)}", "customer=xyzzy"]  # fmt: skip
        for query in filters:
            body = self.timed("activity page", f"/activity/?{query}")
            self.timed("activity, as filtered (htmx)", f"/activity/?{query}", htmx=True)
            more = re.search(rb'href="\?[^"]*?cursor=([^"&]+)"', body)
            if more:
                cursor = urllib.parse.unquote(more.group(1).decode())
                self.timed("activity, next page", f"/activity/?{query}&cursor={urllib.parse.quote(cursor)}",
                           htmx=True)  # fmt: skip
            self.timed("API /activity", f"/api/v1/activity?{query}", api=True)
        self.timed("home page (the customers page)", "/customers/")
        self.timed("… what needs attention (htmx, once the list is shown)", "/customers/home/", htmx=True)
        self.timed("API a customer's events", f"/api/v1/customers/{self.rng.choice(self.sample['sample'])}/events",
                   api=True)  # fmt: skip


def reply_latency(args, env, bench: Bench, customers: list[int]) -> list[float]:
    """Seconds from starting `kartei mail receive` with a reply until the customer's timeline shows it."""
    took = []
    exe = VENV_BIN / "kartei"
    for pk in customers:
        made = json.loads(kartei(env, "shell", "-c", REPLY_CODE % {"pk": pk}).strip().splitlines()[-1])
        marker = f"Antwort {pk} {time.time_ns()}"
        mail = (f"From: {made['email']}\r\nTo: reply+{made['token']}@replies.example.com\r\nSubject: Re: Angebot\r\n"
                f"Message-ID: <{time.time_ns()}@example.de>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{marker}\r\n\r\nAm 24.11.2026 schrieb Kartei:\r\n> Guten Tag\r\n")  # fmt: skip
        began = time.monotonic()
        subprocess.run([str(exe), "mail", "receive"], input=mail.encode(), env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        while (
            marker.encode() not in bench.staff.get(f"/customers/{pk}/?kind=message", headers={"HX-Request": "true"})[1]
        ):
            if time.monotonic() - began > 60:
                sys.exit(f"The reply to customer {pk} is not on the timeline after 60 s.")
            time.sleep(0.05)
        took.append(time.monotonic() - began)
    return took


def markdown(args, rows, meta, info) -> str:
    pg = args.backend == "postgres"
    title = f"### Timeline, {'PostgreSQL' if pg else 'SQLite'}"
    if pg:
        title += ", configured as docs/deploy.md says" if info["settings"] == "deploy" else ", stock settings"
    lines = [
        title, "",
        f"{info['date']}, `{info['command']}`; {info['machine']}; {info['versions']}.",
        f"Data: {info['data']}; database {info['size']}. Load: {meta['command']}: demo {meta['demo_seconds']:.0f} s,"
        f" events {meta['events_seconds']:.0f} s; "
        + ("measured on the database loaded earlier (--reuse)." if args.reuse
           else "measured right after it, nothing run in between."), "",
        "| category | n | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    lines += [f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {worst:.1f} |" for name, n, p50, p95, worst in rows]
    seconds = ", ".join(f"{s:.2f}" for s in info["replies"])
    lines += ["", f"A reply piped to `kartei mail receive` is on the customer's timeline after {seconds} s (the "
                  "command's own start included).", ""]  # fmt: skip
    lines += ["Slowest request per category:", ""]
    lines += [f"- {name}: {took * 1000:.0f} ms `{path}`" for name, (took, path) in info["slowest"].items()]
    return "\n".join(lines) + "\n\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--big", type=int, default=100_000, help="events of one customer")
    parser.add_argument("--data-dir", type=Path, help="default: var/bench/timeline-<backend>")
    parser.add_argument("--database-url", default=PG_URL, help=f"PostgreSQL only (default {PG_URL})")
    parser.add_argument("--reuse", action="store_true", help="keep an already-loaded database")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / f"timeline-{args.backend}").resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    command = shlex.join(["python", "bench/timeline.py", *sys.argv[1:]])

    if args.reuse and (args.data_dir / META).exists():
        meta = json.loads((args.data_dir / META).read_text())
        kartei(env, "migrate", "-v0")
    else:
        meta = load(args, env)
    setup = meta["setup"]
    login = kartei(env, "demo", "--customers", "0")
    username, password = re.search(r"Log in as:\s+(\S+)\s+/\s+(\S+)", login).groups()
    code = SAMPLE_CODE % {"seed": args.seed, "first": setup["first"], "last": setup["last"], "sample": SAMPLE}
    sample = json.loads(kartei(env, "shell", "-c", code).strip().splitlines()[-1])
    token = kartei(env, "token", "create", username).strip().splitlines()[-1].split()[-1]
    settings = server_settings(args, env)
    port = free_port()
    env["KARTEI_INBOUND_DOMAIN"] = "replies.example.com"
    server = Server(env, port, args.data_dir / "serve.log")
    try:
        staff = Client(port)
        staff.login(username, password)
        bench = Bench(staff, sample, setup, random.Random(args.seed))
        bench.token = token
        print(f"serving {sample['events']:,} events on port {port}; warm-up round ...", flush=True)
        bench.round()
        bench.recording = True
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds} ...", flush=True)
            bench.round()
        print("replies by e-mail ...", flush=True)
        replies = reply_latency(args, env, bench, sample["sample"][:5])
    finally:
        server.stop()

    rows = [(name, len(v), statistics.median(v) * 1000, pct(v, 95) * 1000, max(v) * 1000)
            for name, v in bench.timings.items()]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"\n{'category':<{width}}  {'n':>5}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    for name, n, p50, p95, worst in rows:
        print(f"{name:<{width}}  {n:>5}  {p50:>8.1f}  {p95:>8.1f}  {worst:>8.1f}")
    print("reply on the timeline after (s):", ", ".join(f"{s:.2f}" for s in replies))
    info = {
        "date": dt.date.today().isoformat(), "command": command, "machine": machine(),
        "versions": versions(args, env), "size": database_size(args, env), "slowest": bench.slowest,
        "settings": settings, "replies": replies,
        "data": f"{setup['count']:,} customers, {sample['events']:,} events",
    }  # fmt: skip
    if not args.no_docs:
        write_docs(args.docs, "-".join(filter(None, ("timeline", args.backend, settings))),
                   markdown(args, rows, meta, info))  # fmt: skip
        print(f"written to {args.docs}")


if __name__ == "__main__":
    main()
