"""Orders at scale: what a customer waits for on their quick-order page and what staff wait for on the orders
page, with a catalog of 10,000 products and 1,000,000 orders, over HTTP, on SQLite or PostgreSQL.

1. a fresh database (SQLite: var/bench/orders-sqlite/; PostgreSQL: kartei_bench_orders), migrated and loaded with
   `kartei demo --customers C --products P --orders O` (orders from the current customers over two years, with
   their lines, steps and timeline events, written by the bulk path); quick-order links made for a sample of
   the customers who ordered;
2. `kartei serve` (gunicorn + the task worker, as in production); staff log in through the login form;
3. on keep-alive connections, one untimed warm-up round, then --rounds timed rounds of: each sample customer's
   quick-order page; product search on it (htmx, as typed: a word, a SKU, a brand, words that match nothing);
   the next catalog page; a cart filled and submitted (the order POST is timed); wrong links (unknown tokens,
   as many as the rate limit lets through); the orders page with no filter, each status, a big and a small
   customer, date ranges, combinations, and its next pages, whole and as htmx;
4. then --seconds of quick-order page views from 8 concurrent clients, counted per second;
5. prints p50/p95/max per category and writes them to docs/benchmarks.md (between
   `<!-- bench:orders-BACKEND[-SETTINGS]:start/end -->`).

    .venv/bin/python bench/orders.py --backend sqlite
    .venv/bin/python bench/orders.py --backend postgres
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/orders.py --backend postgres --reuse   # deploy.md
    .venv/bin/python bench/orders.py --backend sqlite --reuse          # measure again without reloading
    .venv/bin/python bench/orders.py --backend sqlite --orders 20000 --customers 5000 --no-docs   # quick try
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import shlex
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402  (the customers benchmark's set-up and client)
    ROOT,
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

PG_URL = "postgres://postgres@127.0.0.1:5432/kartei_bench_orders"
META = "bench-load.json"
SAMPLE = 12  # customers whose quick-order links are used
SEARCHES = ["honig", "kawa", "apple juice", "DEMO-00042", "demo-0123", "złoty kłos", "mazurek chleb", "xyzzy", "h"]
WRONG_PER_ROUND = 4  # the rate limit lets 20 wrong links a minute through from one address

SAMPLE_CODE = r"""
import json
from kartei.customers.models import Customer
from kartei.portal.services import link_create
from kartei.orders.models import Order
buyers = list(Customer.objects.filter(is_active=True, deleted_at__isnull=True, last_order_at__isnull=False)
              .order_by("-orders_total").values_list("id", flat=True)[:2000])
step = max(1, len(buyers) // %(sample)d)
chosen = buyers[::step][:%(sample)d]
links = [link_create(actor=None, customer=Customer.objects.get(pk=pk)) for pk in chosen]
others = Customer.objects.filter(is_active=True, deleted_at__isnull=True).exclude(pk__in=chosen)
first_views = [link_create(actor=None, customer=c) for c in others.order_by("?")[:%(first_views)d]]
big = buyers[0]
small = Customer.objects.filter(last_order_at__isnull=False).order_by("orders_total").values_list("id", flat=True)[0]
print(json.dumps({"links": links, "first_views": first_views, "big": big, "small": small,
                  "orders": Order.objects.count()}))
"""


def load(args, env) -> dict:
    fresh_database(args)
    began = time.monotonic()
    kartei(env, "migrate", "-v0")
    migrated = time.monotonic()
    command = f"kartei demo --customers {args.customers} --products {args.products} --orders {args.orders}"
    print(f"loading: {command} ({args.backend}) ...", flush=True)
    kartei(env, *command.split()[1:])
    meta = {
        "command": command,
        "migrate_seconds": round(migrated - began, 1),
        "load_seconds": round(time.monotonic() - migrated, 1),
        "loaded_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    (args.data_dir / META).write_text(json.dumps(meta, indent=1))
    print(f"loaded in {meta['load_seconds']:.0f} s", flush=True)
    return meta


class Bench:
    def __init__(self, port: int, staff: Client, links: list[str], big: int, small: int, rng: random.Random):
        self.port, self.staff, self.links, self.big, self.small, self.rng = port, staff, links, big, small, rng
        self.timings: dict[str, list[float]] = {}
        self.slowest: dict[str, tuple[float, str]] = {}
        self.recording = False

    def timed(self, client: Client, category: str, method: str, path: str, *, expect=(200,), **kw) -> bytes:
        status, body, took, _ = client.request(method, path, **kw)
        if status not in expect:
            sys.exit(f"{method} {path}: {status} (expected {expect})\n{body[:500]!r}")
        if self.recording:
            self.timings.setdefault(category, []).append(took)
            if took > self.slowest.get(category, (0, ""))[0]:
                self.slowest[category] = (took, path)
        return body

    def quick_order(self, token: str) -> None:
        customer = Client(self.port)
        base = f"/quick/{token}/"
        page = self.timed(customer, "quick-order page", "GET", base)
        for q in SEARCHES:
            self.timed(customer, "product search", "GET", f"{base}?{urllib.parse.urlencode({'q': q})}",
                       headers={"HX-Request": "true"})  # fmt: skip
        more = re.search(rb'href="\?q=[^"]*?cursor=([^"&]+)"', page)
        if more:
            self.timed(customer, "quick-order page", "GET", f"{base}?cursor={more.group(1).decode()}")
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        offers = re.findall(rb'name="product" value="(\d+)">.*?name="quantity" value="(\d+)"', page, re.S)
        form = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf}
        for product, quantity in self.rng.sample(offers, k=min(3, len(offers))):
            body = urllib.parse.urlencode({"product": product, "quantity": quantity, "add": "1"})
            customer.request("POST", f"{base}cart/", body=body, headers={**form, "HX-Request": "true"})
        body = urllib.parse.urlencode({"submission": secrets.token_hex(8), "csrfmiddlewaretoken": csrf})
        self.timed(customer, "submit", "POST", f"{base}order/", body=body, headers=form, expect=(302,))

    def wrong_links(self) -> None:
        stranger = Client(self.port)
        for _ in range(WRONG_PER_ROUND):
            self.timed(stranger, "wrong link", "GET", f"/quick/{secrets.token_urlsafe(32)}/", expect=(404,))

    def orders_page(self) -> None:
        today = dt.date.today()

        def ago(days: int) -> str:
            return (today - dt.timedelta(days=days)).isoformat()

        filters = [
            {}, {"status": "new"}, {"status": "confirmed"}, {"status": "in_production"}, {"status": "shipped"},
            {"status": "delivered"}, {"status": "cancelled"}, {"customer": self.big}, {"customer": self.small},
            {"since": ago(7)},
            {"since": ago(400), "until": ago(370)},
            {"until": ago(700)},
            {"status": "cancelled", "customer": self.big},
            {"status": "delivered", "since": ago(60)},
            {"status": "new", "customer": self.small, "since": ago(30)},
        ]  # fmt: skip
        for f in filters:
            query = urllib.parse.urlencode(f)
            page = self.timed(self.staff, "orders page", "GET", f"/orders/?{query}")
            self.timed(self.staff, "orders page (htmx)", "GET", f"/orders/?{query}", headers={"HX-Request": "true"})
            for _ in range(2):
                more = re.search(rb'hx-get="/orders/\?([^"]*cursor=[^"]+)"', page)
                if not more:
                    break
                path = "/orders/?" + more.group(1).decode().replace("&amp;", "&")
                page = self.timed(self.staff, "orders page, next page", "GET", path, headers={"HX-Request": "true"})

    def round(self) -> None:
        for token in self.links:
            self.quick_order(token)
        self.wrong_links()
        self.orders_page()

    def throughput(self, seconds: float, tokens: list[str], clients: int = 8) -> float:
        """Quick-order page views per second from `clients` concurrent keep-alive connections, each viewing the
        pages of `tokens` in turn (a client starts at its own place in the list)."""
        done = [0] * clients
        until = time.monotonic() + seconds
        paths = [f"/quick/{token}/" for token in tokens]

        def view(n: int) -> None:
            client = Client(self.port)
            while time.monotonic() < until:
                status, _, _, _ = client.get(paths[(n * len(paths) // clients + done[n]) % len(paths)])
                if status != 200:
                    raise SystemExit(f"throughput: {status}")
                done[n] += 1

        threads = [threading.Thread(target=view, args=(n,)) for n in range(clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(done) / (time.monotonic() - began)


def markdown(args, rows, meta, info) -> str:
    settings = {"deploy": ", configured as docs/deploy.md says", "stock": ", stock settings", "": ""}[info["settings"]]
    lines = [
        f"### Orders, {'SQLite' if args.backend == 'sqlite' else 'PostgreSQL'}{settings}",
        "",
        f"- date: {info['date']}",
        f"- command: `{info['command']}`",
        f"- machine: {info['machine']}",
        f"- software: {info['versions']}",
        f"- data: {info['data']}, database {info['size']}",
        f"- load: `{meta['command']}` took {meta['load_seconds']:.0f} s ({meta['loaded_at']})",
        f"- cache: {'Redis (REDIS_URL), as docs/deploy.md says' if os.environ.get('REDIS_URL') else 'the database'}",
        f"- requests: {info['requests']} timed ({args.rounds} rounds after one untimed warm-up round), sequential, "
        f"`kartei serve` defaults (gunicorn 2 workers x 4 threads), "
        + ("on the database loaded earlier (--reuse)" if args.reuse else "measured right after the load"),
        f"- **quick-order page views per second**, 8 concurrent keep-alive clients for {args.seconds} s: "
        f"**{info['per_second']:.0f}** viewing {SAMPLE} customers' pages again and again (a reload, the page kept "
        f"rendered); **{info['first_per_second']:.0f}** viewing {info['first_views']:,} other customers' pages, "
        f"each for the first time (only the product list is kept, shared by customers with the same prices)",
        "",
        "| category | requests | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, n, p50, p95, worst in rows:
        lines.append(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    lines += ["", "Slowest request per category:", ""]
    for name, (took, path) in info["slowest"].items():
        shown = re.sub(r"/quick/[^/]+/", "/quick/TOKEN/", path)
        lines.append(f"- {name}: {took * 1000:.1f} ms `{shown}`")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, help="default: var/bench/orders-<backend>")
    parser.add_argument("--database-url", default=PG_URL, help=f"PostgreSQL only (default {PG_URL})")
    parser.add_argument("--reuse", action="store_true", help="keep an already-loaded database")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20, help="of the page views per second (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / f"orders-{args.backend}").resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    command = shlex.join(["python", "bench/orders.py", *sys.argv[1:]])

    if args.reuse and (args.data_dir / META).exists():
        meta = json.loads((args.data_dir / META).read_text())
        kartei(env, "migrate", "-v0")
    else:
        meta = load(args, env)
    login = kartei(env, "demo", "--customers", "0")
    username, password = re.search(r"Log in as:\s+(\S+)\s+/\s+(\S+)", login).groups()
    code = SAMPLE_CODE % {"sample": SAMPLE, "first_views": args.seconds * 800}
    sample = json.loads(kartei(env, "shell", "-c", code).strip().splitlines()[-1])
    settings = server_settings(args, env)
    port = free_port()
    server = Server(env, port, args.data_dir / "serve.log")
    try:
        staff = Client(port)
        staff.login(username, password)
        bench = Bench(port, staff, sample["links"], sample["big"], sample["small"], random.Random(args.seed))
        print(f"serving {sample['orders']:,} orders on port {port}; warm-up round ...", flush=True)
        bench.round()
        bench.recording = True
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds} ...", flush=True)
            bench.round()
        print(f"page views per second for {args.seconds} s, twice ...", flush=True)
        per_second = bench.throughput(args.seconds, sample["links"])
        first_per_second = bench.throughput(args.seconds, sample["first_views"])
    finally:
        server.stop()

    rows = [(name, len(v), statistics.median(v) * 1000, pct(v, 95) * 1000, max(v) * 1000)
            for name, v in bench.timings.items()]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"\n{'category':<{width}}  {'n':>5}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    for name, n, p50, p95, worst in rows:
        print(f"{name:<{width}}  {n:>5}  {p50:>8.1f}  {p95:>8.1f}  {worst:>8.1f}")
    print(f"quick-order page views per second: {per_second:.0f} again, {first_per_second:.0f} first views")
    code = ("from kartei.customers.models import Customer; from kartei.catalog.models import Product; "
            "print(f'{Customer.objects.count():,} customers, {Product.objects.count():,} products')")  # fmt: skip
    info = {
        "date": dt.date.today().isoformat(),
        "command": command,
        "machine": machine(),
        "versions": versions(args, env),
        "data": kartei(env, "shell", "-c", code).strip().splitlines()[-1] + f", {sample['orders']:,} orders",
        "size": database_size(args, env),
        "requests": sum(len(v) for v in bench.timings.values()),
        "slowest": bench.slowest,
        "settings": settings,
        "per_second": per_second,
        "first_per_second": first_per_second,
        "first_views": len(sample["first_views"]),
    }
    if not args.no_docs:
        write_docs(
            args.docs, "-".join(filter(None, ("orders", args.backend, settings))), markdown(args, rows, meta, info)
        )
        print(f"written to {args.docs}")


if __name__ == "__main__":
    main()
