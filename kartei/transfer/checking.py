"""Checking the rows of a file, batch by batch: each row read into a customer and cleaned by the services' rules,
or the reason it cannot be one. A large file is checked on every core (the rules are plain Python and take most
of an import's time); the batches come back in the file's order."""

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from django.utils import translation

from kartei.customers.services.derived import derived_fields

from .rows import Columns, RowProblem, cleaned, customer_data

PARALLEL_ROWS = 20_000  # files with at least this many rows are checked in worker processes
PROCESSES_MAX = 4

# What a checked row carries of its customer:
SUMMARY = "summary"  # what a dry run reads of it when no stored customer can change by it (summary())
WHOLE = "whole"  # the cleaned customer
DERIVED = "derived"  # the cleaned customer with its derived fields (as customers_bulk_prepare takes them)
SUMMARY_FIELDS = ("name", "email", "phone", "vat_id", "status", "tags")


def checked_batches(batches: Iterable[list], header: list[str], found: dict[int, str], *, parallel: bool,
                    shape: str) -> Iterator[list[tuple]]:  # fmt: skip
    """Each batch of (line, cells), checked: (line, {"id": ID} or {}, customer) for a row that is a customer
    (with the ID the row names, if it does), (line, None, reason) for one that is not. `shape`: what the customer
    is (SUMMARY, WHOLE or DERIVED). With `parallel` (and more than one core) in forked worker processes, which
    touch no database: a few batches ahead of the caller, never the whole file."""
    columns = Columns(found, header)
    processes = min(os.cpu_count() or 1, PROCESSES_MAX)
    if not parallel or processes < 2:
        yield from (check_batch(batch, columns, shape) for batch in batches)
        return
    language = translation.get_language()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = deque()
        for batch in batches:
            pending.append(pool.apply_async(_check_in_worker, (batch, columns, shape, language)))
            if len(pending) > 2 * processes:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def check_batch(batch: list, columns: Columns, shape: str = WHOLE) -> list[tuple]:
    checked = []
    for line, cells in batch:
        try:
            data = customer_data(cells, columns)
            clean = cleaned(data)
        except RowProblem as problem:
            checked.append((line, None, str(problem)))
            continue
        if shape == DERIVED:
            clean["derived"] = derived_fields(clean, clean.get("addresses", []))
        elif shape == SUMMARY:
            clean = summary(clean)
        # Of what the row said, only its ID is needed after cleaning (and the less goes back, the sooner).
        checked.append((line, {"id": data["id"]} if "id" in data else {}, clean))
    return checked


def summary(clean: dict) -> dict:
    """The fields of a cleaned customer that tell it apart and that the check page shows (of its addresses, the
    first one's city): a third of the whole customer to send back from a worker process."""
    short = {name: clean[name] for name in SUMMARY_FIELDS if name in clean}
    if clean.get("addresses"):
        short["addresses"] = [{"city": clean["addresses"][0]["city"]}]
    return short


def _check_in_worker(batch: list, columns: Columns, shape: str, language: str):
    with translation.override(language):  # the reasons in the user's language
        return check_batch(batch, columns, shape)
