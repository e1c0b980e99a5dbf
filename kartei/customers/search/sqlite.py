"""The search index on SQLite: an FTS5 table with prefix indexes over a view that spells out each customer's
entry (its search document and its filter tokens, tokens.py), kept in sync by triggers on the customers and
tag links tables.

FTS5 hands over rowids (customer ids) in either order and stops at LIMIT, so a page of any list costs the same
whatever the selectivity. Prefix indexes go up to 8 characters: a longer prefix ("info1", "49171", "schmidt")
otherwise merges the posting lists of every word that starts with it (e-mail words and phone numbers are
nearly all distinct), 20 ms a query at a million customers; with them it is one posting list (0.1 ms).
The view is the FTS5 table's external content, so FTS5 itself can check the index against the customers table
(`integrity-check`) and rebuild it."""

from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models.functions import Lower

from kartei.core.bulk import unmapped_reads
from kartei.core.progress import NoProgress

from .base import CUSTOMERS, TAG_LINKS, SearchIndex, id_batches
from .tokens import NO_STATUS, NO_TEMPERATURE, STATES, STATUS_CODES, TEMPERATURE_CODES, IndexQuery

FTS = "customers_customer_fts"
SOURCE = "customers_customer_fts_source"
TRIGGERS = [
    (CUSTOMERS, "customers_customer_fts_insert"),
    (CUSTOMERS, "customers_customer_fts_delete"),
    (CUSTOMERS, "customers_customer_fts_update"),
    (TAG_LINKS, "customers_customer_tags_fts_insert"),
    (TAG_LINKS, "customers_customer_tags_fts_delete"),
    (TAG_LINKS, "customers_customer_tags_fts_update"),
]
# A leaf page of 300 bytes instead of 4050: a rare word AND a long token list (a status) seeks page by page, then
# steps rowid by rowid within the page; small pages make that ~3x faster, for a 4% larger index.
PAGE_SIZE = 300
BULK_CACHE_KIB = 128 * 1024  # SQLite's page cache while a bulk insert runs
FTS5_AUTOMERGE, FTS5_CRISIS_MERGE = 4, 16  # FTS5's own defaults, kept outside a first load
LOAD_CRISIS_MERGE = 1000  # pieces of one size FTS5 lets pile up during a first load before it must merge them


def _case(column: str, codes: dict, other: str) -> str:
    whens = " ".join(f"WHEN '{value}' THEN '{code}'" for value, code in codes.items())
    return f"(CASE {column} {whens} ELSE '{other}' END)"


def _state(c: str) -> str:
    return (
        f"(CASE WHEN {c}.deleted_at IS NOT NULL THEN '{STATES['trash']}' "
        f"WHEN {c}.is_active THEN '{STATES['active']}' ELSE '{STATES['inactive']}' END)"
    )


def _tags(customer: str, *, skip_link: str | None = None, extra_tag: str | None = None):
    """SQL for ' _ag1 _ag7' (the customer's tag tokens, given its state), optionally leaving one link out or
    adding one tag: the customer's tags as they were before a link changed."""
    skip = f" AND t.id <> {skip_link}" if skip_link else ""

    def sql(state: str) -> str:
        found = (
            f"coalesce((SELECT ' ' || group_concat('_' || {state} || 'g' || t.tag_id, ' ') "
            f"FROM {TAG_LINKS} t WHERE t.customer_id = {customer}{skip}), '')"
        )
        return found + (f" || ' _' || {state} || 'g' || {extra_tag}" if extra_tag else "")

    return sql


def _entry(c: str, tags) -> str:
    """SQL for the text FTS5 indexes for the customer row `c` (a table alias, or new/old in a trigger)."""
    state, status = _state(c), _case(f"{c}.status", STATUS_CODES, NO_STATUS)
    temperature = _case(f"{c}.temperature", TEMPERATURE_CODES, NO_TEMPERATURE)
    return (
        f"{c}.search_document || ' _' || {state} || ' _' || {state} || {status}"
        f" || ' _' || {state} || {status} || {temperature} || ' _' || {state} || 't' || {temperature}"
        f" || {tags(state)}"
    )


def _add(rowid: str, entry: str) -> str:
    return f"INSERT INTO {FTS}(rowid, search_document) VALUES ({rowid}, {entry});"


def _remove(rowid: str, entry: str) -> str:
    return f"INSERT INTO {FTS}({FTS}, rowid, search_document) VALUES ('delete', {rowid}, {entry});"


def _relink(customer: str, before_tags, after_tags) -> str:
    """Replace a customer's entry after its tag links changed (nothing when the customer is not there)."""
    return (
        f"INSERT INTO {FTS}({FTS}, rowid, search_document) SELECT 'delete', c.id, {_entry('c', before_tags)} "
        f"FROM {CUSTOMERS} c WHERE c.id = {customer};\n"
        f"INSERT INTO {FTS}(rowid, search_document) SELECT c.id, {_entry('c', after_tags)} "
        f"FROM {CUSTOMERS} c WHERE c.id = {customer};"
    )


CHANGED = (
    "old.search_document IS NOT new.search_document OR old.status IS NOT new.status"
    " OR old.temperature IS NOT new.temperature OR old.is_active IS NOT new.is_active"
    " OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) OR old.id <> new.id"
)


def _trigger_statements() -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_fts_insert AFTER INSERT ON {CUSTOMERS}
        BEGIN {_add("new.id", _entry("new", _tags("new.id")))} END""",
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_fts_delete AFTER DELETE ON {CUSTOMERS}
        BEGIN {_remove("old.id", _entry("old", _tags("old.id")))} END""",
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_fts_update AFTER UPDATE ON {CUSTOMERS} WHEN {CHANGED}
        BEGIN
            {_remove("old.id", _entry("old", _tags("old.id")))}
            {_add("new.id", _entry("new", _tags("new.id")))}
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_tags_fts_insert AFTER INSERT ON {TAG_LINKS} BEGIN
        {_relink("new.customer_id", _tags("new.customer_id", skip_link="new.id"), _tags("new.customer_id"))}
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_tags_fts_delete AFTER DELETE ON {TAG_LINKS} BEGIN
        {_relink("old.customer_id", _tags("old.customer_id", extra_tag="old.tag_id"), _tags("old.customer_id"))}
        END""",
        # Django never updates a link row, but a hand-written UPDATE must not corrupt the index either.
        f"""CREATE TRIGGER IF NOT EXISTS customers_customer_tags_fts_update AFTER UPDATE ON {TAG_LINKS} BEGIN
        {
            _relink(
                "old.customer_id",
                _tags("old.customer_id", skip_link="new.id", extra_tag="old.tag_id"),
                _tags("old.customer_id", skip_link="new.id"),
            )
        }
        {_relink("new.customer_id", _tags("new.customer_id", skip_link="new.id"), _tags("new.customer_id"))}
        END""",
    ]


class SQLiteIndex(SearchIndex):
    vendor = "sqlite"

    def create_statements(self) -> list[str]:
        return [
            f"CREATE VIEW IF NOT EXISTS {SOURCE} (id, search_document) AS "
            f"SELECT c.id, {_entry('c', _tags('c.id'))} FROM {CUSTOMERS} c",
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
                search_document, content='{SOURCE}', content_rowid='id',
                tokenize="unicode61 remove_diacritics 2 tokenchars '_'", prefix='1 2 3 4 5 6 7 8', detail='none')""",
            *_trigger_statements(),
        ]

    def drop_statements(self) -> list[str]:
        return [
            *(f"DROP TRIGGER IF EXISTS {name}" for _, name in TRIGGERS),
            f"DROP TABLE IF EXISTS {FTS}",
            f"DROP VIEW IF EXISTS {SOURCE}",
        ]

    def remove_sync(self, cursor) -> None:
        """The triggers and the view: each names the customers table, which Django renames when it rebuilds it."""
        for _, name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP VIEW IF EXISTS {SOURCE}")

    def has_sync(self, cursor) -> bool:
        names = [name for _, name in TRIGGERS] + [SOURCE]
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE name IN ({', '.join('%s' for _ in names)})",
            names,
        )
        return cursor.fetchone()[0] == len(names)

    def fill(self, cursor, progress) -> None:
        cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('pgsz', %s)", [PAGE_SIZE])
        self._index_ids(cursor, progress)

    def _index_ids(self, cursor, progress, *, after: int = 0, optimize: bool = True) -> None:
        """Index the customers with ids above `after`; `optimize`: merge the index into one b-tree afterwards
        (worth it for the whole index, not for a part)."""
        for low, high in id_batches(cursor, CUSTOMERS, after=after):
            cursor.execute(
                f"INSERT INTO {FTS}(rowid, search_document) SELECT id, search_document FROM {SOURCE} "
                "WHERE id > %s AND id <= %s",
                [low, high],
            )
            progress.advance(cursor.rowcount)
        if optimize:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    def check_and_repair(self, cursor, progress) -> int:
        cursor.execute(f"SELECT count(*) FROM {CUSTOMERS}")
        customers = cursor.fetchone()[0]
        try:
            cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)")
        except DatabaseError as error:  # FTS5 reports a mismatch as SQLITE_CORRUPT_VTAB: "...malformed"
            if "malformed" not in str(error):
                raise
        else:
            progress.advance(customers)
            return 0
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
        self._index_ids(cursor, progress)
        return customers

    # ------------------------------------------------------------------ reads

    def match(self, query: IndexQuery) -> str:
        """The FTS5 MATCH expression."""
        parts = [f'"{t}"*' for t in query.terms]
        for group in query.tokens():
            alternatives = " OR ".join(f'"{token}"' for token in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
        hidden = query.hidden()
        if hidden:
            return "(" + " AND ".join(parts) + ") NOT (" + " OR ".join(f'"{token}"' for token in hidden) + ")"
        return " AND ".join(parts)

    def ids(self, query: IndexQuery, *, descending: bool = True, after: int | None = None, limit: int) -> list[int]:
        if limit <= 0:
            return []
        where, params = "", [self.match(query)]
        if after is not None:
            where = " AND rowid < %s" if descending else " AND rowid > %s"
            params.append(after)
        sql = (
            f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s{where} "
            f"ORDER BY rowid {'DESC' if descending else 'ASC'} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def count(self, query: IndexQuery, *, limit: int) -> int:
        if limit <= 0:
            return 0
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s LIMIT %s)"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match(query), limit])
            return cursor.fetchone()[0]

    def size(self, query: IndexQuery, *, sparse: int, dense: int, walk: int, fills: int) -> str:
        """Counted in FTS5, which is cheap."""
        found = self.count(query, limit=dense + 1)
        return "sparse" if found <= sparse else "middle" if found <= dense else "dense"

    def matching_ids_sql(self, query: IndexQuery) -> tuple[str, list]:
        return f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [self.match(query)]

    def email_key(self):
        return Lower("email")  # the index customer_email_sort; SQLite compares text byte by byte

    # ------------------------------------------------------------------ bulk writes

    @contextmanager
    def bulk_writes(self, cursor, *, first_id: int, entries: list[list]):
        """Without the triggers, then the new customers indexed in one pass: the triggers would index each
        customer by itself (and again for each tag link). The caller's transaction holds SQLite's write lock,
        so no other write can miss the triggers meanwhile."""
        for _, name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        self._index_ids(cursor, NoProgress(), after=first_id - 1, optimize=False)
        for sql in _trigger_statements():
            cursor.execute(sql)

    @contextmanager
    def bulk_connection(self):
        """No memory-mapped reads (bulk.unmapped_reads) and a larger page cache (the B-trees a load inserts into
        stay in memory)."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        try:
            with unmapped_reads():
                yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")

    def before_first_load(self, cursor) -> None:
        """FTS5 stops merging the pieces each batch writes as it goes: the load merges them once at its end. With
        merging on, a million customers' index was merged over and over (a third of the indexing time)."""
        cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('automerge', 0)")
        cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('crisismerge', {LOAD_CRISIS_MERGE})")

    def after_first_load(self, cursor) -> None:
        """The index merged into one b-tree (a search reads every piece), and merging as it goes again."""
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
        cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('automerge', {FTS5_AUTOMERGE})")
        cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('crisismerge', {FTS5_CRISIS_MERGE})")

    def after_bulk_write(self, cursor, tables: list[str]) -> None:
        cursor.execute("PRAGMA optimize")
