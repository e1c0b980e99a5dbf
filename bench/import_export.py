#!/usr/bin/env python3
"""Kartei's import and export at scale: a generated CSV of N customers as people keep them (German headers; German,
Polish and British companies and people; phones as typed; VAT IDs; 2 % bad rows; 1 % duplicates), imported into a
fresh database with the `kartei` CLI, then searched, then exported to CSV and XLSX. Each step is one process, timed
with its peak RSS. django-import-export imports the first 20,000 rows of the same file into the same Customer model
on another fresh database of the same kind, in its own process, for its rows per second side by side.

    .venv/bin/python bench/import_export.py --backend sqlite --rows 1000000
    .venv/bin/python bench/import_export.py --backend postgres --rows 1000000    # COPY, database kartei_bench_import
    .venv/bin/python bench/import_export.py --backend sqlite --rows 20000 --data-dir /tmp/kbi --no-docs   # quick try
    .venv/bin/python bench/import_export.py --backend sqlite --rows 100000 --profile   # and a cProfile of the import

Needs GNU time (/usr/bin/time) and, for the comparison, `pip install -e '.[bench]'` (django-import-export). See
bench/README.md.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import re
import shlex
import subprocess
import sys
import time
import urllib.parse
from collections import Counter, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_URL = "postgres://postgres@127.0.0.1:5432/kartei_bench_import"
DOCS = ROOT / "docs" / "benchmarks.md"

HEADER = ["Firma", "Vorname", "Nachname", "E-Mail", "Telefon", "Straße", "PLZ", "Ort", "Land", "USt-IdNr.", "Rabatt",
          "Notiz", "Kategorie"]  # fmt: skip
COLUMN = {name: i for i, name in enumerate(HEADER)}
BAD_SHARE = 0.02  # rows Kartei must reject, of the kinds below
DUPLICATE_SHARE = 0.01  # rows repeating an earlier row's e-mail address (in capitals half the time)
BAD_KINDS = ("email", "vat_id", "nothing", "too_long", "phone")
# What Kartei says about each kind of bad row (its English messages), to check every rejection is the expected one.
REASONS = {
    "email": "Enter an email address such as",
    "vat_id": "This VAT ID fails its check digits",
    "nothing": "Nothing tells who this customer is",
    "too_long": "Keep ",  # "Keep the name to 200 characters", "Address 1: Keep this to 100 characters"
    "phone": "This is not a valid phone number",
    "duplicate": "The same customer as on line",
}
LAND = {  # how the country column is filled in
    "DE": ("Deutschland", "Deutschland", "DE", "Germany"),
    "PL": ("Polen", "Polska", "PL", "Poland"),
    "GB": ("Vereinigtes Königreich", "United Kingdom", "GB"),
}
DIE_ROWS = 20_000  # django-import-export imports this many of the file's first rows


# ---------------------------------------------------------------------------------------------- the file


def django_setup(data_dir: Path) -> None:
    """Django loaded in this process, only to use the demo generator (it touches no database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartei.settings")
    os.environ.setdefault("KARTEI_DATA_DIR", str(data_dir))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'generator.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Typist:
    """Writes the demo generator's customers (kartei/customers/demo.py) as the rows of a spreadsheet people keep:
    phone numbers and VAT IDs in the forms people type them, the country as a name or a code, German decimals."""

    def __init__(self, seed: int):
        from kartei.customers.demo import Generator
        from kartei.customers.demo_data import TAGS

        # The generator only samples from the tags it is given: names are all a file has.
        self.generator = Generator(seed, [name for name, _colour in TAGS])
        self.rng = random.Random(seed + 1)
        self.phones: set[str] = set()
        self.vat_ids: set[str] = set()

    def row(self, number: int) -> list[str]:
        """One customer's cells. Phone numbers and VAT IDs are unique in the file: a row without an e-mail address
        is matched by them, and a chance repeat would make a duplicate the generator does not know of."""
        customer = self.generator.row(number, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        fields, address = customer["customer"], customer["addresses"][0]
        country = address["country"]
        phone, vat_id = fields["phone"], fields["vat_id"]
        while phone and phone in self.phones:
            phone = self.generator._phone(country)
        while vat_id and vat_id in self.vat_ids:
            vat_id = self.generator._vat_id(country)
        self.phones.add(phone)
        self.vat_ids.add(vat_id)
        if fields["kind"] == "company":
            company, person = fields["name"], fields["contact_person"]
        else:
            company, person = "", fields["name"]
        first, _space, last = person.partition(" ")
        discount = fields["discount_percent"]
        return [
            company,
            first,
            last,
            fields["email"],
            self.phone(phone, country) if phone else "",
            address["street"],
            address["postal_code"],
            address["city"],
            self.rng.choice(LAND[country]),
            self.vat_id(vat_id, country) if vat_id else "",
            "" if discount is None else str(discount).replace(".", ","),
            customer["notes"][0][0] if customer["notes"] else "",
            ", ".join(customer["tags"]),
        ]

    def phone(self, e164: str, country: str) -> str:
        """The ways people write a number: "0171 2540928", "(030) 123456-7", "+48 601 234 567", "0161 394 2252" …"""
        prefix = next(p for p, _n in self.generator.shapes[country] if e164.startswith(p))
        code, area, subscriber = prefix[:3], prefix[3:], e164[len(prefix) :]
        if country == "PL":
            n = e164[3:]
            forms = [f"+48 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}",
                     f"0048 {n}", f"+48{n}"]  # fmt: skip
        elif country == "GB":
            forms = [f"0{area} {subscriber[:3]} {subscriber[3:]}", f"+44 {area} {subscriber}",
                     f"+44 (0){area} {subscriber}", f"0{area}-{subscriber}"]  # fmt: skip
        else:
            forms = [f"0{area} {subscriber}", f"(0{area}) {subscriber[:-1]}-{subscriber[-1]}", f"0{area}/{subscriber}",
                     f"{code} {area} {subscriber}", f"0049 {area} {subscriber}", f"0{area}-{subscriber}",
                     f"+49 (0){area} {subscriber}"]  # fmt: skip
        return self.rng.choice(forms)

    def vat_id(self, vat_id: str, country: str) -> str:
        """DE123456789, "DE 123 456 789"; a Polish NIP with or without PL, with dashes or spaces."""
        if country == "PL":
            n = vat_id
            spaced = f"{n[:3]} {n[3:6]} {n[6:8]} {n[8:]}"
            return self.rng.choice([f"PL{n}", spaced.replace(" ", "-"), n, f"PL {spaced}"])
        n = vat_id[2:]
        return self.rng.choice([vat_id, f"DE {n[:3]} {n[3:6]} {n[6:]}", f"DE {n}"])

    def spoil(self, cells: list[str], kind: str) -> list[str]:
        """A row Kartei must reject, for one reason of `kind`."""
        rng, cells = self.rng, list(cells)
        at = COLUMN
        if kind == "email":
            local = (cells[at["E-Mail"]] or f"{cells[at['Vorname']]}.{cells[at['Nachname']]}@example.com").split("@")[0]
            cells[at["E-Mail"]] = rng.choice([f"{local}@example", f"{local}@@example.com", f"{local} example.com",
                                              f"{local}@example..com", f"{local}.example.com"])  # fmt: skip
        elif kind == "vat_id":
            country = "PL" if rng.random() < 0.5 else "DE"
            valid = self.generator._vat_id(country)
            wrong = valid[:-1] + str((int(valid[-1]) + rng.randint(1, 9)) % 10)  # one check digit fits, no other
            cells[at["USt-IdNr."]] = f"PL{wrong}" if country == "PL" else wrong
        elif kind == "nothing":
            for name in ("Firma", "Vorname", "Nachname", "E-Mail", "Telefon", "USt-IdNr."):
                cells[at[name]] = ""
        elif kind == "too_long":
            column, limit = ("Firma", 200) if rng.random() < 0.5 else ("Ort", 100)
            words = cells[at[column]] or "Handelsgesellschaft"
            long = " ".join([words] * (2 * limit // len(words) + 1))[: rng.randint(limit + 1, limit + 100)].rstrip()
            cells[at[column]] = long + "x" * (limit + 1 - len(long))  # still too long once trimmed
        elif kind == "phone":
            cells[at["Telefon"]] = rng.choice(["0171 25", "030 12", "+49 1", "12345", "+48 601 23"])
        return cells


def generate(path: Path, rows: int, seed: int) -> dict:
    """Write the CSV file and return what the generator knows about it: the lines that must be rejected (and why),
    the customers that must be created, and customers to search for afterwards."""
    typist = Typist(seed)
    rng = random.Random(seed + 2)
    recent: deque = deque(maxlen=1000)  # good rows with an e-mail address, to repeat: the last thousand …
    older: list = []  # … and a sample of the rest
    expected: dict[int, str] = {}  # line → why Kartei must reject it ("duplicate:LINE" for a repeat)
    probes: dict[str, list[str]] = {}
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            line = i + 2  # the header is line 1; no cell holds a line break
            roll = rng.random()
            if roll < DUPLICATE_SHARE and (recent or older):
                source_line, cells = rng.choice(older) if older and rng.random() < 0.5 else rng.choice(recent)
                cells = list(cells)
                if rng.random() < 0.5:
                    cells[COLUMN["E-Mail"]] = cells[COLUMN["E-Mail"]].upper()
                expected[line] = f"duplicate:{source_line}"
            else:
                cells = typist.row(i)
                if roll < DUPLICATE_SHARE + BAD_SHARE:
                    kind = rng.choice(BAD_KINDS)
                    cells = typist.spoil(cells, kind)
                    expected[line] = kind
                elif cells[COLUMN["E-Mail"]]:
                    recent.append((line, cells))
                    if rng.random() < 0.01:
                        older.append((line, cells))
                    if i >= rows // 2 and "middle" not in probes:
                        probes["middle"] = cells
                    probes["last"] = cells
            writer.writerow(cells)
    kinds = Counter(kind.split(":")[0] for kind in expected.values())
    return {
        "rows": rows,
        "seed": seed,
        "created": rows - len(expected),
        "rejected": len(expected),
        "kinds": dict(sorted(kinds.items())),
        "expected": {str(line): kind for line, kind in expected.items()},
        "probes": probes,
    }


def the_file(args) -> tuple[Path, dict]:
    """The CSV of --rows customers, made once per size and seed and kept in the data dir."""
    path = args.data_dir / f"customers-{args.rows}-seed{args.seed}.csv"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        print(f"using {path.relative_to(args.data_dir)} ({path.stat().st_size / 2**20:.0f} MiB)", flush=True)
        return path, json.loads(meta_path.read_text())
    print(f"generating {args.rows:,} rows ...", flush=True)
    began = time.monotonic()
    django_setup(args.data_dir)
    meta = generate(path, args.rows, args.seed)
    meta_path.write_text(json.dumps(meta))
    print(f"generated {path.name} in {time.monotonic() - began:.0f} s ({path.stat().st_size / 2**20:.0f} MiB): "
          f"{meta['created']:,} good rows, rejected to come {meta['kinds']}", flush=True)  # fmt: skip
    return path, meta


# ---------------------------------------------------------------------------------------------- databases, processes


def environment(args, database: str) -> dict:
    """The environment of the `kartei` processes on the database `database` ("kartei" or "die")."""
    env = dict(os.environ, KARTEI_DATA_DIR=str(args.data_dir), DJANGO_SETTINGS_MODULE="kartei.settings")
    env.pop("DEBUG", None)
    if args.backend == "postgres":
        parts = urllib.parse.urlsplit(args.database_url)
        name = parts.path.lstrip("/") + ("" if database == "kartei" else f"_{database}")
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env["DATABASE_URL"] = f"sqlite:///{args.data_dir / database}.sqlite3"
    return env


def fresh_database(args, env) -> None:
    """Drop the database `env` names and make it again, migrated."""
    url = env["DATABASE_URL"]
    if args.backend == "sqlite":
        file = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(file + suffix).unlink(missing_ok=True)
    else:
        parts = urllib.parse.urlsplit(url)
        conn = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
        name = parts.path.lstrip("/")
        subprocess.run(["dropdb", *conn, "--if-exists", "--force", name], check=True)
        subprocess.run(["createdb", *conn, name], check=True)
    run(env, kartei_cmd("migrate", "-v0"))


def kartei_cmd(*args) -> list[str]:
    exe = VENV_BIN / "kartei"
    return [str(exe) if exe.exists() else "kartei", *args]


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy since boot, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(env, cmd, *, label="") -> dict:
    """Run `cmd` to its end under GNU time: its wall time, peak RSS and CPU time, what it printed, and the CPU time
    other processes took meanwhile (the PostgreSQL server, and whatever else runs on the machine)."""
    report = Path(env["KARTEI_DATA_DIR"]) / "time.txt"
    busy, began = busy_cpu_seconds(), time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", str(report), *cmd], env=env, cwd=ROOT,
                          text=True, capture_output=True, check=False)  # fmt: skip
    seconds, busy = time.monotonic() - began, busy_cpu_seconds() - busy
    if done.returncode:
        sys.exit(f"`{shlex.join(cmd)}` failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    kib, user, system = report.read_text().split()[-3:]
    cpu = float(user) + float(system)
    result = {"seconds": seconds, "peak_mib": int(kib) / 1024, "cpu": cpu, "others": max(busy - cpu, 0.0),
              "out": done.stdout}  # fmt: skip
    if label:
        print(f"{label}: {seconds:.1f} s, peak RSS {result['peak_mib']:.0f} MiB, CPU {cpu:.1f} s "
              f"(other processes {result['others']:.1f} s)", flush=True)  # fmt: skip
    return result


def last_json(out: str):
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- checks


def check_counts(label: str, answer: dict, meta: dict) -> list[str]:
    """What the import says against what the generator knows; the differences, in words."""
    problems = []
    for key, want in (("created", meta["created"]), ("updated", 0), ("skipped", 0)):
        if answer[key] != want:
            problems.append(f"{label}: {key} {answer[key]:,}, the file has {want:,}")
    expected, seen = meta["expected"], set()
    wrong = Counter()
    for rejected in answer["rejected"]:
        line, reason = str(rejected["line"]), rejected["reason"]
        seen.add(line)
        kind = expected.get(line)
        if kind is None:
            wrong[f"a good row rejected ({reason[:80]})"] += 1
        elif kind.startswith("duplicate:"):
            if f"{REASONS['duplicate']} {kind.split(':')[1]}." not in reason:
                wrong[f"a duplicate rejected with another reason ({reason[:80]})"] += 1
        elif REASONS[kind] not in reason:
            wrong[f"a bad row ({kind}) rejected with another reason ({reason[:80]})"] += 1
    missed = Counter(kind.split(":")[0] for line, kind in expected.items() if line not in seen)
    problems += [f"{label}: {n:,} × {what}" for what, n in wrong.most_common(5)]
    problems += [f"{label}: {n:,} bad rows ({kind}) not rejected" for kind, n in missed.items()]
    return problems


SEARCH_CODE = r"""
import json, sys, time
from kartei.customers.queries import CustomerFilter, customer_page
found = {}
for label, q in json.loads(sys.argv[-1]):
    began = time.perf_counter()
    rows, _next = customer_page(CustomerFilter.from_params(q=q), limit=24)
    found[label] = {"q": q, "emails": [c.email.lower() for c in rows], "ms": (time.perf_counter() - began) * 1000}
print(json.dumps(found))
"""


def check_search(env, meta: dict) -> tuple[list[str], str]:
    """Search for imported customers as the customers page does (queries.customer_page): the last good row's
    e-mail address (a b-tree lookup), its name and city (the words of the search index, newest first: it is the
    newest match) and the middle good row's e-mail address in capitals."""
    last, middle = meta["probes"]["last"], meta["probes"]["middle"]
    name = last[COLUMN["Firma"]] or f"{last[COLUMN['Vorname']]} {last[COLUMN['Nachname']]}"
    probes = [
        ("whole e-mail", last[COLUMN["E-Mail"]], last[COLUMN["E-Mail"]]),
        ("name and city", f"{name} {last[COLUMN['Ort']]}", last[COLUMN["E-Mail"]]),
        ("e-mail in capitals", middle[COLUMN["E-Mail"]].upper(), middle[COLUMN["E-Mail"]]),
    ]
    code = SEARCH_CODE.replace("sys.argv[-1]", repr(json.dumps([(label, q) for label, q, _ in probes])))
    found = last_json(run(env, kartei_cmd("shell", "-c", code))["out"])
    problems, shown = [], []
    for label, q, email in probes:
        hit = found[label]
        if email.lower() not in hit["emails"]:
            problems.append(f"search: “{q}” did not find {email} ({len(hit['emails'])} found)")
        shown.append(f"{label} {hit['ms']:.0f} ms")
    return problems, ", ".join(shown)


# ---------------------------------------------------------------------------------------------- django-import-export


def die_worker(sample: Path) -> None:
    """In its own process, on its own fresh database: django-import-export imports the sample into Customer.

    The least configuration that imports this file: the columns mapped onto Customer's fields; the name, kind and
    contact person made from Firma/Vorname/Nachname (a file's columns are not the model's); a new customer's joined
    date set (Customer.created_at has no default); duplicates found by e-mail address as Kartei finds them, ignoring
    case (the default .get(email=…) would fail on the many rows without one, and miss "ANNA@…"); model validation
    on (clean_model_instances: lengths, blanks, choices, the unique e-mail); no diff for an admin preview
    (skip_diff). German decimals ("12,5") are read with the German locale active. Street, postal code, country and
    note are other models (Address, Note) and are not imported; nothing checks phone numbers or VAT IDs."""
    # This script is called import_export.py too: the package, not the script, is what `import import_export` means.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    import django

    django.setup()
    import tablib
    from django.db.models.functions import Lower
    from django.utils import timezone, translation
    from import_export import resources, widgets
    from import_export.fields import Field

    from kartei.customers.demo_data import TAGS
    from kartei.customers.models import Customer, Tag

    class CustomerResource(resources.ModelResource):
        name = Field(attribute="name", column_name="name")
        kind = Field(attribute="kind", column_name="kind")
        contact_person = Field(attribute="contact_person", column_name="contact_person")
        email = Field(attribute="email", column_name="E-Mail")
        phone = Field(attribute="phone", column_name="Telefon")
        vat_id = Field(attribute="vat_id", column_name="USt-IdNr.")
        city = Field(attribute="city", column_name="Ort")
        discount_percent = Field(attribute="discount_percent", column_name="Rabatt", widget=widgets.DecimalWidget())
        tags = Field(attribute="tags", column_name="Kategorie", widget=widgets.ManyToManyWidget(Tag, field="name"))

        class Meta:
            model = Customer
            fields = ("name", "kind", "contact_person", "email", "phone", "vat_id", "city", "discount_percent", "tags")
            import_id_fields = ("email",)
            clean_model_instances = True
            skip_diff = True

        def before_import_row(self, row, **kwargs):
            company = (row.get("Firma") or "").strip()
            person = " ".join(filter(None, ((row.get("Vorname") or "").strip(), (row.get("Nachname") or "").strip())))
            row["name"] = company or person
            row["kind"] = "company" if company or not person else "person"
            row["contact_person"] = person if company else ""

        def get_instance(self, instance_loader, row):
            email = (row.get("E-Mail") or "").strip().lower()
            if not email:
                return None
            return Customer.objects.alias(key=Lower("email")).filter(key=email, deleted_at__isnull=True).first()

        def init_instance(self, row=None):
            return Customer(created_at=timezone.now())

    for name, colour in TAGS:  # the manual's advice: ManyToManyWidget takes tags that exist
        Tag.objects.get_or_create(name=name, defaults={"colour": colour})
    translation.activate("de")
    began = time.monotonic()
    dataset = tablib.Dataset().load(sample.read_text(encoding="utf-8"), format="csv")
    result = CustomerResource().import_data(dataset, dry_run=False, use_transactions=True)
    seconds = time.monotonic() - began
    errors = [str(error.error) for _line, row_errors in result.row_errors() for error in row_errors]
    answer = {"rows": len(dataset), "seconds": seconds, "totals": dict(result.totals), "errors": errors[:3],
              "stored": Customer.objects.count()}  # fmt: skip
    print(json.dumps(answer))


def django_import_export(args, path: Path) -> dict:
    sample = args.data_dir / f"die-sample-{args.seed}-{DIE_ROWS}.csv"
    with path.open(encoding="utf-8", newline="") as source, sample.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        for number, cells in enumerate(csv.reader(source)):
            if number > min(DIE_ROWS, args.rows):
                break
            writer.writerow(cells)
    env = environment(args, "die")
    fresh_database(args, env)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--die-worker", str(sample), "--backend", args.backend]
    done = run(env, cmd, label=f"django-import-export, first {min(DIE_ROWS, args.rows):,} rows")
    answer = last_json(done["out"])
    return {**done, **answer, "process_seconds": done["seconds"], "seconds": answer["seconds"]}


# ---------------------------------------------------------------------------------------------- profile


def profile(args, path: Path) -> str:
    """The import once more, on a fresh database, under cProfile; the 15 functions with the most cumulative time
    (below the command's own frames, which hold all of it) and the 15 with the most time of their own."""

    env = environment(args, "kartei")
    fresh_database(args, env)
    out = args.data_dir / f"import-{args.backend}-{args.rows}.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "kartei.cli", "import", "customers", str(path),
           "--json"]  # fmt: skip
    run(env, cmd, label="import under cProfile")
    text = profile_report(out, args.rows)
    out.with_suffix(".txt").write_text(text + "\n")
    return text


def profile_report(out: Path, rows: int) -> str:
    import pstats

    stats = pstats.Stats(str(out)).stats
    entries = [(Path(file).name, line, name, calls, own, cumulative)
               for (file, line, name), (_prim, calls, own, cumulative, _callers) in stats.items()]  # fmt: skip
    total = max(e[5] for e in entries)
    report = [f"import of {rows:,} rows under cProfile: {total:.1f} s (profiling slows Python about twofold)"]
    for title, key, keep in (("cumulative", 5, lambda e: e[5] < 0.97 * total), ("own", 4, lambda e: True)):
        report += ["", f"{'cum s':>7} {'%':>4} {'own s':>7} {'calls':>9}  function ({title} time)"]
        for file, line, name, calls, own, cumulative in sorted(filter(keep, entries), key=lambda e: -e[key])[:15]:
            where = f"{file}:{line}" if line else file
            report.append(f"{cumulative:7.2f} {100 * cumulative / total:4.0f} {own:7.2f} {calls:9,}  {name} ({where})")
    return "\n".join(report)


# ---------------------------------------------------------------------------------------------- report


def code_state() -> tuple[str, str]:
    """(the code measured, in words; a fingerprint of kartei/'s Python files) - others may edit it meanwhile."""
    import hashlib

    def git(*args) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, text=True, capture_output=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "kartei").splitlines()
    words = f"commit {git('rev-parse', '--short', 'HEAD') or '?'}"
    if changed:
        words += f" with uncommitted changes to {len(changed)} files in kartei/"
    digest = hashlib.sha1()
    for path in sorted((ROOT / "kartei").rglob("*.py")):
        digest.update(path.read_bytes())
    return words, digest.hexdigest()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")  # fmt: skip
    mem = next((int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)  # fmt: skip
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}"


def versions(env) -> str:
    code = ("import django; from django.db import connection\nc = connection.cursor()\n"
            "c.execute('select sqlite_version()' if connection.vendor == 'sqlite' else 'show server_version')\n"
            "print(f'Django {django.get_version()}, {connection.vendor} {c.fetchone()[0]}')")  # fmt: skip
    out = run(env, kartei_cmd("shell", "-c", code))["out"].strip().splitlines()[-1]
    try:
        from importlib.metadata import version

        out += f", django-import-export {version('django-import-export')}"
    except Exception:  # noqa: BLE001 - not installed: the comparison was skipped
        pass
    return f"{out}, Python {platform.python_version()}"


def met(value: float, limit: float) -> str:
    return "met" if value < limit else "**not met**"


def markdown(args, figures: dict, info: dict) -> str:
    rows, title = args.rows, "SQLite" if args.backend == "sqlite" else "PostgreSQL (COPY)"
    dry, imp, csv_out, xlsx = (figures[k] for k in ("dry", "import", "csv", "xlsx"))
    lines = [
        f"### {title}, {rows:,} rows",
        "",
        f"- date: {info['date']}",
        f"- command: `{info['command']}`",
        f"- machine: {info['machine']}",
        f"- software: {info['versions']}; {info['code']}",
        f"- file: {info['file']}",
        f"- checks: {info['checks']}",
        f"- search right after the import (queries.customer_page in `kartei shell`): {info['search']}",
        "- CPU s: the step's process (user + system); others' CPU s: every other process meanwhile, the PostgreSQL "
        "server included (on 2 cores, more than the server's share means the machine was shared)",
        "",
        "| step | rows | time s | rows/s | peak RSS MiB | CPU s | others' CPU s | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]

    def line(step, n, result, target=""):
        rate = f"{n / result['seconds']:,.0f}"
        lines.append(f"| {step} | {n:,} | {result['seconds']:.1f} | {rate} | {result['peak_mib']:,.0f} | "
                     f"{result['cpu']:.1f} | {result['others']:.1f} | {target} |")  # fmt: skip

    full = rows >= 1_000_000  # the targets are for a million rows; smaller runs only show them
    line("`kartei import customers FILE --dry-run --json`", rows, dry,
         "30 s" + (f": {met(dry['seconds'], 30)}" if full else " at 1M"))  # fmt: skip
    memory = f"{met(imp['peak_mib'] * 2**20, 500e6)}" if full else ""
    line("`kartei import customers FILE --json`", rows, imp,
         f"60 s: {met(imp['seconds'], 60)}; 500 MB: {memory}" if full else "60 s, 500 MB at 1M")  # fmt: skip
    exported = figures["exported"]
    for fmt, limit in (("csv", 20), ("xlsx", 90)):
        # The file's good rows are a little under a million: the time is scaled to a million customers to judge it.
        at_million = figures[fmt]["seconds"] * 1_000_000 / exported
        target = f"{limit} s for 1M" + (f" (scaled: {at_million:.0f} s): {met(at_million, limit)}" if full else "")
        line(f"`kartei export customers --format {fmt}`", exported, figures[fmt], target)
    die = figures.get("die")
    if die:
        line(f"django-import-export `import_data`, first {die['rows']:,} rows", die["rows"], die, "")
        ratio = (rows / imp["seconds"]) / (die["rows"] / die["seconds"])
        verdict = "met" if ratio >= 20 else "**not met**"
        lines.append(f"| **Kartei's rows/s (whole file) ÷ django-import-export's** | | | **{ratio:.1f}×** | | | | "
                     f"20×: {verdict} |")  # fmt: skip
        totals = ", ".join(f"{k} {v:,}" for k, v in die["totals"].items() if v)
        lines += ["", f"django-import-export: {totals}; {die['stored']:,} customers stored; its process took "
                  f"{die['process_seconds']:.1f} s with Django's start (the table's time is `Dataset.load` + "
                  "`import_data` alone). Its configuration: `die_worker` in the script."]  # fmt: skip
        if die["errors"]:
            lines.append(f"Its first errors: {'; '.join(e[:200] for e in die['errors'])}")
    return "\n".join(lines) + "\n"


EVERYTHING_CHECKED = ("the dry run's and the import's counts and every rejected line's reason as the generator "
                      "expects; the exports hold every imported customer")  # fmt: skip
SECTION = "## Import and export"
INTRO = """## Import and export

Written by `bench/import_export.py` (see bench/README.md): a generated CSV of German, Polish and British companies
and people with German headers (Firma, Vorname, Nachname, E-Mail, Telefon, Straße, PLZ, Ort, Land, USt-IdNr.,
Rabatt, Notiz, Kategorie), phone numbers as people type them, valid DE and PL VAT IDs (70 % of those companies),
2 % bad rows (bad e-mail, VAT ID failing its check digits, nothing identifying, too long, bad phone number) and 1 %
repeats of an earlier row's e-mail address. Each step is one `kartei` process on a fresh database, timed with its
peak RSS (GNU time); the import's counts are checked against what the generator knows, line by line, and
imported customers are searched for as soon as it ends. django-import-export imports the file's first 20,000
rows into the same Customer model, in its own process on another fresh database of the same kind.
"""


def write_docs(path: Path, backend: str, block: str) -> None:
    """Replace this backend's block inside "## Import and export" (made before "## Reproduce" if missing); the
    rest of the file, which others edit too, is read and written back as it is, at once."""
    start, end = f"<!-- bench-import:{backend}:start -->", f"<!-- bench-import:{backend}:end -->"
    marked = f"{start}\n{block}{end}\n"
    text = path.read_text()
    if SECTION + "\n" not in text:
        at = text.find("\n## Reproduce\n")
        at = len(text) if at < 0 else at + 1
        text = text[:at] + INTRO + "\n" + text[at:]
    begin = text.index(SECTION + "\n")
    after = re.search(r"^## ", text[begin + len(SECTION) :], flags=re.M)
    finish = begin + len(SECTION) + after.start() if after else len(text)
    section = text[begin:finish]
    if start in section and end in section:
        section = section[: section.index(start)] + marked + section[section.index(end) + len(end) + 1 :]
    else:
        section = section.rstrip("\n") + "\n\n" + marked + "\n"
    path.write_text(text[:begin] + section + text[finish:])


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, help="default: var/bench/import")
    parser.add_argument("--database-url", default=PG_URL, help=f"PostgreSQL only (default {PG_URL})")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-django-import-export", action="store_true")
    parser.add_argument("--profile", action="store_true", help="then import once more under cProfile, print the top")
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--no-docs", action="store_true", help="print only, do not write docs/benchmarks.md")
    parser.add_argument("--die-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.die_worker:
        return die_worker(args.die_worker)
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / "import").resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    command = ".venv/bin/python bench/import_export.py " + shlex.join(sys.argv[1:])

    path, meta = the_file(args)
    code, fingerprint = code_state()
    env = environment(args, "kartei")
    fresh_database(args, env)
    figures, problems = {}, []

    figures["dry"] = run(env, kartei_cmd("import", "customers", str(path), "--dry-run", "--json"), label="dry run")
    problems += check_counts("dry run", last_json(figures["dry"]["out"]), meta)
    figures["import"] = run(env, kartei_cmd("import", "customers", str(path), "--json"), label="import")
    problems += check_counts("import", last_json(figures["import"]["out"]), meta)
    search_problems, search = check_search(env, meta)
    problems += search_problems

    for fmt in ("csv", "xlsx"):
        target = args.data_dir / f"export.{fmt}"
        figures[fmt] = run(env, kartei_cmd("export", "customers", "--format", fmt, "-o", str(target)),
                           label=f"export {fmt}")  # fmt: skip
        exported = int(re.search(r"Exported ([\d,]+) customers", figures[fmt]["out"]).group(1).replace(",", ""))
        figures["exported"] = exported
        if exported != meta["created"]:
            problems.append(f"export {fmt}: {exported:,} customers, the import created {meta['created']:,}")
    if code_state()[1] != fingerprint:
        problems.append("kartei/ changed while the import and the exports ran: the figures mix two versions")
    info = {
        "code": code,
        "date": dt.date.today().isoformat(),
        "command": command,
        "machine": machine(),
        "versions": versions(env),
        "file": f"{path.stat().st_size / 2**20:.0f} MiB, {meta['rows']:,} rows: {meta['created']:,} good, "
        + ", ".join(f"{n:,} {kind}" for kind, n in meta["kinds"].items()),
        "checks": "; ".join(problems) or EVERYTHING_CHECKED,
        "search": search,
    }
    if not args.skip_django_import_export:
        figures["die"] = django_import_export(args, path)

    block = markdown(args, figures, info)
    print("\n" + block)
    if problems:
        print("Problems:\n  " + "\n  ".join(problems))
    if args.profile:
        print(profile(args, path))
    if not args.no_docs:
        write_docs(args.docs, args.backend, block)
        print(f"written to {args.docs}")


if __name__ == "__main__":
    main()
