"""The search index on PostgreSQL: a table customers_customer_search (id, vector tsvector) with a GIN index,
kept in sync by statement triggers on the customers and tag links tables (TRUNCATE included); a bulk write of
new customers brings their entries itself (bulk_entry, bulk_writes).

The vector holds the document's words, their 1-3 letter prefixes and the 1-8 digit prefixes of numbers as whole
lexemes (a one-letter search or the start of a phone number is then one posting list instead of a scan over
every lexeme that begins with it), plus the filter tokens (tokens.py). A longer term is a `word:*` prefix match.

The GIN index is unordered, and fetching every row it finds to sort them costs as many row reads as there are
matches. So a read first walks the index table by id from where the page starts (cheap: those rows are
contiguous and a stored tsvector is checked in a microsecond), in windows, walking on while the density seen says
the page is near; only if matches are rarer than that does it ask the GIN index for the rest, which is then
cheap because they are few. The planner is told which plan each step wants instead of being left to guess how
many rows will match."""

import json
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection, transaction
from django.db.models.functions import Collate, Lower

from .base import CUSTOMERS, TAG_LINKS, SearchIndex, id_batches
from .tokens import NO_STATUS, NO_TEMPERATURE, STATES, STATUS_CODES, TEMPERATURE_CODES, IndexQuery, entry_tokens

TABLE = "customers_customer_search"
GIN = "customers_customer_search_vector"
EMAIL_KEY_INDEX = "customer_email_key"
PREFIX_LETTERS = 3  # a word's prefixes up to this many letters are lexemes of their own
PREFIX_DIGITS = 8  # and a number's up to this many digits

# How far a read walks the index table by id before it asks the GIN index (see the module's docstring).
WINDOW_IDS = 10_000  # ids in the widest window read at once, and in the newest window that `size` samples
WALK_IDS = 10_000  # ids walked at most while the matches seen say the page is near
# Up to this many rows found by the words (and tags) alone, the state and status are checked on those rows
# rather than looked up in the GIN index (merging a state token's long posting list costs several ms).
CHECKED_ROWS = 1000
INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem while a first load builds the indexes
# The GIN index's fast-update list while a first load fills it, and the memory merging it into the index takes
# (work_mem): merged 32 MB at a time rather than the stock 4 MB, each posting list and index page is written once
# for many customers instead of for about one batch. At a million customers the stock server's load went from
# 193 s to 157 s; 64 MB measured the same, 128 MB slower (each merge holds up the load for longer).
FIRST_LOAD_PENDING_LIST = "32MB"
# Set (transaction-local) while a bulk write brings the new customers' index entries itself: the insert triggers
# leave those customers to it.
ENTRIES_GIVEN = "kartei.search_entries_given"
_ENTRIES_ARE_GIVEN = f"current_setting('{ENTRIES_GIVEN}', true) = 'on'"


def _case(column: str, codes: dict, other: str) -> str:
    whens = " ".join(f"WHEN '{value}' THEN '{code}'" for value, code in codes.items())
    return f"(CASE {column} {whens} ELSE '{other}' END)"


VECTOR = f"""
CREATE OR REPLACE FUNCTION kartei_customer_vector(doc text, deleted boolean, active boolean, status text,
                                                  temperature text, customer bigint)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT CASE WHEN n = 0 THEN w ELSE left(w, n) END
        FROM unnest(string_to_array(doc, ' ')) w,
             generate_series(0, least(length(w) - 1,
                                      CASE WHEN w ~ '^[0-9]+$' THEN {PREFIX_DIGITS} ELSE {PREFIX_LETTERS} END)) n
        WHERE w <> ''
        UNION ALL
        SELECT unnest(ARRAY['_' || st.s, '_' || st.s || st.status, '_' || st.s || st.status || st.temperature,
                            '_' || st.s || 't' || st.temperature])
        UNION ALL
        SELECT '_' || st.s || 'g' || t.tag_id FROM {TAG_LINKS} t WHERE t.customer_id = customer))
    FROM (SELECT CASE WHEN deleted THEN '{STATES["trash"]}' WHEN active THEN '{STATES["active"]}'
                      ELSE '{STATES["inactive"]}' END AS s,
                 {_case("status", STATUS_CODES, NO_STATUS)} AS status,
                 {_case("temperature", TEMPERATURE_CODES, NO_TEMPERATURE)} AS temperature) st
$$"""


def _vector(c: str) -> str:
    return (
        f"kartei_customer_vector({c}.search_document, {c}.deleted_at IS NOT NULL, {c}.is_active, {c}.status, "
        f"{c}.temperature, {c}.id)"
    )


SYNC_CUSTOMERS = f"""
CREATE OR REPLACE FUNCTION kartei_customer_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} s USING old_rows o WHERE s.id = o.id;
    ELSIF TG_OP = 'INSERT' THEN
        IF {_ENTRIES_ARE_GIVEN} THEN
            RETURN NULL;
        END IF;
        INSERT INTO {TABLE} (id, vector) SELECT n.id, {_vector("n")} FROM new_rows n
        ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector;
    ELSE
        DELETE FROM {TABLE} s USING old_rows o  -- an id changed (Django never does that)
        WHERE s.id = o.id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
        INSERT INTO {TABLE} (id, vector) SELECT n.id, {_vector("n")} FROM new_rows n
        LEFT JOIN old_rows o ON o.id = n.id
        WHERE o.id IS NULL OR o.search_document IS DISTINCT FROM n.search_document
           OR o.status IS DISTINCT FROM n.status OR o.temperature IS DISTINCT FROM n.temperature
           OR o.is_active IS DISTINCT FROM n.is_active OR (o.deleted_at IS NULL) <> (n.deleted_at IS NULL)
        ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector;
    END IF;
    RETURN NULL;
END $$"""

SYNC_TAGS = f"""
CREATE OR REPLACE FUNCTION kartei_customer_tags_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND {_ENTRIES_ARE_GIVEN} THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE {TABLE} s SET vector = {_vector("c")} FROM {CUSTOMERS} c
        WHERE c.id IN (SELECT customer_id FROM old_rows) AND s.id = c.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE {TABLE} s SET vector = {_vector("c")} FROM {CUSTOMERS} c
        WHERE c.id IN (SELECT customer_id FROM new_rows) AND s.id = c.id;
    END IF;
    RETURN NULL;
END $$"""

# TRUNCATE (`kartei flush`, a restore script) fires no DELETE triggers.
SYNC_TRUNCATE = f"""
CREATE OR REPLACE FUNCTION kartei_customer_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = '{CUSTOMERS}' THEN
        TRUNCATE {TABLE};
    ELSE  -- the tag links: no customer has a tag any more
        UPDATE {TABLE} s SET vector = {_vector("c")} FROM {CUSTOMERS} c WHERE c.id = s.id;
    END IF;
    RETURN NULL;
END $$"""

_TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}
TRIGGERS = [
    *(
        (CUSTOMERS, f"customers_customer_search_{event}", event, "kartei_customer_search_sync")
        for event in _TRANSITIONS
    ),
    *(
        (TAG_LINKS, f"customers_customer_tags_search_{event}", event, "kartei_customer_tags_search_sync")
        for event in _TRANSITIONS
    ),
    (CUSTOMERS, "customers_customer_search_truncate", "truncate", "kartei_customer_search_truncate"),
    (TAG_LINKS, "customers_customer_tags_search_truncate", "truncate", "kartei_customer_search_truncate"),
]
FUNCTIONS = [
    "kartei_customer_search_sync()",
    "kartei_customer_tags_search_sync()",
    "kartei_customer_search_truncate()",
    "kartei_customer_vector(text, boolean, boolean, text, text, bigint)",
]


def _trigger(table: str, name: str, event: str, function: str) -> str:
    return (
        f"CREATE OR REPLACE TRIGGER {name} AFTER {event.upper()} ON {table} {_TRANSITIONS.get(event, '')} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


class PostgresIndex(SearchIndex):
    vendor = "postgresql"

    def create_statements(self) -> list[str]:
        return [
            VECTOR,
            SYNC_CUSTOMERS,
            SYNC_TAGS,
            SYNC_TRUNCATE,
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigint PRIMARY KEY, vector tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING gin (vector)",
            *(_trigger(*trigger) for trigger in TRIGGERS),
            # Whole e-mail addresses are looked up by their beginning in byte order, whatever the database's
            # collation (see terms.Keys).
            f'CREATE INDEX IF NOT EXISTS {EMAIL_KEY_INDEX} ON {CUSTOMERS} ((lower(email) COLLATE "C"))',
        ]

    def drop_statements(self) -> list[str]:
        return [
            *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for table, name, _, _ in TRIGGERS),
            *(f"DROP FUNCTION IF EXISTS {function}" for function in FUNCTIONS),
            f"DROP TABLE IF EXISTS {TABLE}",
            "DROP INDEX IF EXISTS customer_search",  # the first index, an expression index on the document
            f"DROP INDEX IF EXISTS {EMAIL_KEY_INDEX}",
        ]

    def remove_sync(self, cursor) -> None:
        for table, name, _, _ in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")

    def has_sync(self, cursor) -> bool:
        names = [name for _, name, _, _ in TRIGGERS]
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal", [names])
        return cursor.fetchone()[0] == len(names)

    def fill(self, cursor, progress) -> None:
        """The GIN index is built once the table is filled: faster than growing it row by row."""
        cursor.execute(f"DROP INDEX IF EXISTS {GIN}")
        for low, high in id_batches(cursor, CUSTOMERS):
            cursor.execute(
                f"INSERT INTO {TABLE} (id, vector) SELECT c.id, {_vector('c')} FROM {CUSTOMERS} c "
                "WHERE c.id > %s AND c.id <= %s",
                [low, high],
            )
            progress.advance(cursor.rowcount)
        cursor.execute(f"CREATE INDEX {GIN} ON {TABLE} USING gin (vector)")
        cursor.execute(f"ANALYZE {TABLE}")

    def check_and_repair(self, cursor, progress) -> int:
        wrong = 0
        for low, high in id_batches(cursor, CUSTOMERS):
            cursor.execute(
                f"INSERT INTO {TABLE} (id, vector) SELECT c.id, fresh.vector FROM {CUSTOMERS} c "
                f"CROSS JOIN LATERAL (SELECT {_vector('c')} AS vector) fresh LEFT JOIN {TABLE} s ON s.id = c.id "
                "WHERE c.id > %s AND c.id <= %s AND s.vector IS DISTINCT FROM fresh.vector "
                "ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector",
                [low, high],
            )
            wrong += cursor.rowcount
            cursor.execute(f"SELECT count(*) FROM {CUSTOMERS} WHERE id > %s AND id <= %s", [low, high])
            progress.advance(cursor.fetchone()[0])
        cursor.execute(f"DELETE FROM {TABLE} s WHERE NOT EXISTS (SELECT 1 FROM {CUSTOMERS} c WHERE c.id = s.id)")
        return wrong + cursor.rowcount

    # ------------------------------------------------------------------ reads

    def tsquery(self, query: IndexQuery) -> str:
        """The tsquery text (cast with ::tsquery: lexemes are taken as written, like the index stores them)."""
        return " & ".join(self._words_and_tags(query) + self._state(query))

    def _split(self, query: IndexQuery) -> tuple[str, str] | None:
        """The tsquery as (words and tags, state and status): a GIN lookup of the first part alone, checking the
        second on the rows found, is cheaper when the words are rare. None when there is nothing to split."""
        words_and_tags, state = self._words_and_tags(query), self._state(query)
        if not query.terms or not state:
            return None
        return " & ".join(words_and_tags), " & ".join(state)

    def _words_and_tags(self, query: IndexQuery) -> list[str]:
        return [_term(t) for t in query.terms] + [_any(group) for group in query.token_groups()[1]]

    def _state(self, query: IndexQuery) -> list[str]:
        state_group = query.token_groups()[0]
        return ([_any(state_group)] if state_group else []) + [f"!'{token}'" for token in query.hidden()]

    def ids(self, query: IndexQuery, *, descending: bool = True, after: int | None = None, limit: int) -> list[int]:
        if limit <= 0:
            return []
        return self._read(query, descending=descending, after=after, limit=limit, count=False)

    def count(self, query: IndexQuery, *, limit: int) -> int:
        if limit <= 0:
            return 0
        return self._read(query, descending=True, after=None, limit=limit, count=True)

    def size(self, query: IndexQuery, *, sparse: int, dense: int, walk: int, fills: int) -> str:
        """Judged from the density in the newest window of the index, counting exactly only when that shows
        matches are rare: when `walk` rows would hold at least `fills` matches at that density, "middle"
        without counting."""
        tsquery = self.tsquery(query)
        with _reading() as cursor:
            bounds = _begin(cursor, WALK)
            if bounds is None:
                return "sparse"
            low, high = bounds
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE id > %s AND vector @@ %s::tsquery", [high - WINDOW_IDS, tsquery]
            )
            in_window = cursor.fetchone()[0]
        window = min(WINDOW_IDS, high - low + 1)
        if in_window * (high - low + 1) / window >= dense:
            return "dense"
        if in_window * walk / window >= fills:
            return "middle"
        return "sparse" if self.count(query, limit=sparse + 1) <= sparse else "middle"

    def matching_ids_sql(self, query: IndexQuery) -> tuple[str, list]:
        return f"SELECT id FROM {TABLE} WHERE vector @@ %s::tsquery", [self.tsquery(query)]

    @contextmanager
    def sorted_reads(self):
        """Fetch the ids and sort them: the planner may instead walk the sort column's index looking for them,
        which takes as long as the matches are far down that order (a search for "kwiaciarnia" sorted by name:
        half the index)."""
        with _reading() as cursor:
            _plan(cursor, {"enable_indexscan": "off", "enable_indexonlyscan": "off"})
            yield

    @contextmanager
    def column_walks(self):
        """Walk the sort column's index in order and stop when the page is full. The planner cannot tell how many
        rows a walk's bounds hold (a range within one bucket of the column's histogram reads as one row), and
        would fetch every row in them by bitmap and sort them: 15 ms for the 3,000 rows of a page of VIP
        customers sorted by name, against 5 ms walked in order."""
        with _reading() as cursor:
            _plan(cursor, WALK)
            yield

    def email_key(self):
        return Collate(Lower("email"), "C")  # the index customer_email_key

    def _read(self, query: IndexQuery, *, descending: bool, after: int | None, limit: int, count: bool):
        """Up to `limit` matching ids in id order after `after` (or, with `count`, how many: newest first)."""
        order = "DESC" if descending else "ASC"

        def select(where: str, params: list, wanted: int, tsquery: str):
            if count:
                sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} AND vector @@ %s::tsquery LIMIT %s) s"
                cursor.execute(sql, [*params, tsquery, wanted])
                return cursor.fetchone()[0]
            sql = f"SELECT id FROM {TABLE} WHERE {where} AND vector @@ %s::tsquery ORDER BY id {order} LIMIT %s"
            cursor.execute(sql, [*params, tsquery, wanted])
            return [row[0] for row in cursor.fetchall()]

        tsquery = self.tsquery(query)
        found = 0 if count else []
        with _reading() as cursor:
            bounds = _begin(cursor, WALK)
            if bounds is None:
                return found
            low, high = bounds
            if descending:
                start = high if after is None else min(high, after - 1)  # windows (start - span, start]
            else:
                start = low if after is None else max(low, after + 1)  # windows [start, start + span)
            # The first window: about what holds the rows wanted if 1 row in 40 matches; wider ones follow as needed.
            walked, span = 0, max(1000, min(WINDOW_IDS, limit * 40))
            while True:
                if descending:
                    got = select("id > %s AND id <= %s", [start - span, start], limit - _size(found), tsquery)
                    start -= span
                    done = start < low
                else:
                    got = select("id >= %s AND id < %s", [start, start + span], limit - _size(found), tsquery)
                    start += span
                    done = start > high
                found += got
                walked += span
                if _size(found) >= limit or done:
                    return found
                # Walk on only while the matches seen so far say the rest is near.
                missing = (limit - _size(found)) * walked / max(_size(found), 0.5)
                if walked + missing > WALK_IDS:
                    break
                span = int(missing * 1.25) + 100
            _plan(cursor, LOOKUP)
            where, params = ("id + 0 <= %s" if descending else "id + 0 >= %s"), [start]  # "+ 0": GIN alone finds them
            split = self._split(query)
            if split and _estimate(cursor, split[0]) <= CHECKED_ROWS:
                # "IS TRUE": the planner cannot use the index for it, so the state is checked on the rows found.
                tsquery, checked = split
                where, params = where + " AND (vector @@ %s::tsquery) IS TRUE", [*params, checked]
            found += select(where, params, limit - _size(found), tsquery)
            return found

    # ------------------------------------------------------------------ bulk writes

    def bulk_entry(self, document: str, *, deleted: bool, active: bool, status: str, temperature: str,
                   tag_ids: list[int]) -> str:  # fmt: skip
        """The customer's vector as kartei_customer_vector makes it, in tsvector's text form. Made where the rows
        are prepared (a second process for the demo), it takes the work off the one server process that writes
        them: computing the vectors in the insert trigger was a quarter of a load's server time."""
        lexemes = set(entry_tokens(deleted=deleted, active=active, status=status, temperature=temperature,
                                   tag_ids=tag_ids))  # fmt: skip
        for word in document.split():
            lexemes.update(_word_lexemes(word))
        return " ".join(lexemes)  # folded words and tokens ([a-z0-9_]) need no quotes

    @contextmanager
    def bulk_writes(self, cursor, *, first_id: int, entries: list[list]):
        """The insert triggers stand aside while the customers and their tag links are written; their entries
        (bulk_entry) follow with COPY."""
        if not entries:
            yield
            return
        cursor.execute("SELECT set_config(%s, 'on', true)", [ENTRIES_GIVEN])
        yield
        with cursor.cursor.copy(f"COPY {TABLE} (id, vector) FROM STDIN") as copy:
            for row in entries:
                copy.write_row(row)
        cursor.execute("SELECT set_config(%s, '', true)", [ENTRIES_GIVEN])

    def before_first_load(self, cursor) -> None:
        """The e-mail keys are built once the customers are in (much faster than row by row). The GIN index stays:
        its fast-update list takes the entries while the next batches are being prepared, and is merged into the
        index in large pieces (FIRST_LOAD_PENDING_LIST); building it at the end took 79 s for a million customers
        on this project's 2-core machine, with nothing else to do. Every index built (and foreign key checked) at
        the end sorts in memory."""
        cursor.execute(f"DROP INDEX IF EXISTS {EMAIL_KEY_INDEX}")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        cursor.execute(f"SET LOCAL gin_pending_list_limit = '{FIRST_LOAD_PENDING_LIST}'")
        cursor.execute(f"SET LOCAL work_mem = '{FIRST_LOAD_PENDING_LIST}'")

    def after_first_load(self, cursor) -> None:
        for sql in self.create_statements():
            if sql.startswith("CREATE INDEX"):
                cursor.execute(sql)

    def after_bulk_write(self, cursor, tables: list[str]) -> None:
        """Statistics for the planner and the GIN index's pending list merged (autovacuum may not have run yet,
        or be off), so the first search after a load is as fast as the hundredth. Once the rows are committed,
        VACUUM does both and also marks the pages all-visible: until then every index-only scan reads the rows
        too (walking 3,000 entries of the name index took 13.6 ms right after a load, 0.6 ms after). It skips
        pages marked before, so after a small import it is quick."""
        tables = ", ".join([*tables, TABLE])
        if connection.in_atomic_block:  # VACUUM cannot run in a transaction
            cursor.execute(f"ANALYZE {tables}")
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN])
        else:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")


@lru_cache(maxsize=65_536)  # names, streets and cities repeat
def _word_lexemes(word: str) -> tuple[str, ...]:
    """A document word and its prefixes that are lexemes of their own, as kartei_customer_vector makes them."""
    longest = min(len(word) - 1, _whole_prefixes(word))
    return (word, *(word[:n] for n in range(1, longest + 1)))


def _whole_prefixes(word: str) -> int:
    """Up to how many characters a word's beginnings are lexemes of their own: three letters, eight digits."""
    return PREFIX_DIGITS if word.isdigit() else PREFIX_LETTERS


def _term(term: str) -> str:
    """Up to three letters (eight digits) are whole lexemes in the index; longer ones are prefix matches."""
    whole = len(term) <= _whole_prefixes(term)
    return f"'{term}'" if whole else f"'{term}':*"


def _any(tokens: list[str]) -> str:
    alternatives = " | ".join(f"'{token}'" for token in tokens)
    return f"({alternatives})" if len(tokens) > 1 else alternatives


WALK = {"enable_bitmapscan": "off", "enable_seqscan": "off"}  # by the primary key, in id order
LOOKUP = {"enable_bitmapscan": "on", "enable_indexscan": "off", "enable_seqscan": "off"}  # GIN, then sort


@contextmanager
def _reading():
    """A transaction (a savepoint inside one) for reads whose planner settings (set_config(..., true), i.e.
    SET LOCAL) must end with it: it is rolled back, never committed, so nothing leaks to later queries."""
    with transaction.atomic(), connection.cursor() as cursor:
        yield cursor
        transaction.set_rollback(True)


def _plan(cursor, planner: dict) -> None:
    names = sorted(planner)
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names), [x for n in names for x in (n, planner[n])]
    )


def _begin(cursor, planner: dict) -> tuple[int, int] | None:
    """Set the planner and read the ids' range, in one round trip."""
    names = sorted(planner)
    settings_sql = ", ".join("set_config(%s, %s, true)" for _ in names)
    cursor.execute(
        f"SELECT (SELECT min(id) FROM {TABLE}), (SELECT max(id) FROM {TABLE}), {settings_sql}",
        [x for n in names for x in (n, planner[n])],
    )
    low, high = cursor.fetchone()[:2]
    return None if low is None else (low, high)


def _estimate(cursor, tsquery: str) -> float:
    """How many customers the planner expects the tsquery to find (from the vector column's statistics)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE vector @@ %s::tsquery", [tsquery])
    plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def _size(found) -> int:
    return found if isinstance(found, int) else len(found)
