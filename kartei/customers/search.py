"""Search-as-you-type over customers.

Every customer has a search document: its words folded to lower-case ASCII, kept in sync by the
services (bulk paths included). A query matches when each of its words is the beginning of some
word of the document. The same rule holds on both databases:

- SQLite: a contentless FTS5 table with prefix indexes, kept in sync by triggers;
- PostgreSQL: a table of tsvectors (the words, their 1-3 letter prefixes, 1-8 digit prefixes of numbers) with
  a GIN index, kept in sync by triggers; queried with the whole lexeme for up to three letters or eight
  digits, `'word':*` beyond (migrations 0003, 0006).

Both indexes also carry each customer's filters (active/inactive/trash, status, temperature, tags) as tokens,
so a list narrowed by words and filters is answered inside the index (migration 0003, IndexQuery below).
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import phonenumbers
from django.db import connection, transaction
from stdnum.eu import vat as eu_vat

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i"})
# German readers type "Mueller" for "Müller": documents carry both spellings.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[a-z0-9]+")
_PHONE_QUERY = re.compile(r"^\+?[\d\s()./-]+$")
MAX_QUERY_WORDS = 8
# Country prefixes of VAT IDs, which people type apart from the digits: "DE 136 695 976".
_VAT_PREFIXES = frozenset({*(c.lower() for c in eu_vat.MEMBER_STATES), "el", "xi", "gb", "ch", "no"})
MAX_WORD_LENGTH = 40


def fold(text: str) -> str:
    """Lower case, accents and special letters folded to ASCII: "Łódź" -> "lodz", "Straße" -> "strasse"."""
    text = text.lower().translate(_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _name_words(text: str) -> list[str]:
    found = words(text)
    lowered = text.lower()
    if any(u in lowered for u in "äöü"):
        found += words(lowered.translate(_UMLAUTS))
    return found


def _phone_words(e164: str) -> list[str]:
    """The digits of a number as people type it: international, national with trunk prefix, and bare."""
    if not e164:
        return []
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return ["".join(filter(str.isdigit, e164))]
    national = "".join(filter(str.isdigit, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)))
    significant = phonenumbers.national_significant_number(number)
    international = e164.lstrip("+")
    return [international, "00" + international, national, significant]


def document(
    *, name: str, contact_person: str = "", email: str = "", phone: str = "", vat_id: str = "", country: str = ""
) -> str:
    parts = _name_words(name) + _name_words(contact_person)
    if email:
        parts += words(email)
        parts.append("".join(words(email)))
    parts += _phone_words(phone)
    if vat_id:
        compact = "".join(words(vat_id))
        digits = "".join(filter(str.isdigit, compact))
        parts += [compact, digits]
        if compact == digits and country:  # a national number (a Polish NIP): also as its EU VAT ID, PL…
            parts.append(country.lower() + digits)
    seen = dict.fromkeys(p for p in parts if p)
    return " ".join(seen)


def customer_document(customer) -> str:
    return document(
        name=customer.name,
        contact_person=customer.contact_person,
        email=customer.email,
        phone=customer.phone,
        vat_id=customer.vat_id,
        country=customer.country,
    )


def customer_sort_keys(customer) -> tuple[str, str]:
    """The name and the city as lists sort them: folded like search ("Łódź" sorts with "Lodz"), cut to the
    lengths of their columns."""
    return fold(customer.name)[:200], fold(customer.city)[:100]


def query_terms(q: str) -> list[str]:
    """The prefixes a query asks for. A query that looks like a phone number becomes one digit string,
    so "0171 2345", "+49 171 2345", "+49 (0)171 2345", "0049 171 2345" and "01712345" all find
    +49 171 2345678. Digit groups typed with spaces become one word, so "DE 136 695 976" finds DE136695976."""
    q = (q or "").strip()[:200]
    if _PHONE_QUERY.match(q) and sum(c.isdigit() for c in q) >= 3:
        if q.startswith("+"):
            q = q.replace("(0)", "", 1)  # "+49 (0)171 …": the trunk zero is not dialled after a country code
        return ["".join(filter(str.isdigit, q))[:MAX_WORD_LENGTH]]
    terms: list[str] = []
    joinable = False  # whether the last term is digits, or a VAT country prefix (and digits) at the start
    for word in words(q):
        if joinable and word.isdigit():
            terms[-1] += word
        else:
            terms.append(word)
            joinable = word.isdigit() or (len(terms) == 1 and word in _VAT_PREFIXES)
    return list(dict.fromkeys(t[:MAX_WORD_LENGTH] for t in terms))[:MAX_QUERY_WORDS]


def sqlite_match(terms: list[str]) -> str:
    return " AND ".join(f'"{t}"*' for t in terms)


def postgres_match(terms: list[str]) -> str:
    """A tsquery over the PostgreSQL index: up to three letters (eight digits) are whole lexemes there, since the
    index holds every word's 1-3 letter prefixes and every number's 1-8 digit prefixes; longer ones are prefix
    matches."""
    return " & ".join(_pg_term(t) for t in terms)


def _pg_term(term: str) -> str:
    whole = len(term) <= (PG_PREFIX_DIGITS if term.isdigit() else PG_PREFIX_LEXEMES)
    return f"'{term}'" if whole else f"'{term}':*"


FTS_TABLE = "customers_customer_fts"  # SQLite: FTS5, rowid = customer id (migration 0003)
PG_TABLE = "customers_customer_search"  # PostgreSQL: (id, vector tsvector) with a GIN index (migration 0003)
PG_PREFIX_LEXEMES = 3
PG_PREFIX_DIGITS = 8


# Codes in the index's filter tokens (as migration 0003 writes them).
STATUS_CODES = {"current": "c", "potential": "p"}
TEMPERATURE_CODES = {"hot": "h", "warm": "w", "cold": "c", "not_interested": "n"}


@dataclass(frozen=True)
class IndexQuery:
    """What a list asks of the search index: words (each the beginning of a word of the document) and filters.
    The index carries the filters as tokens (see migration 0003), so one index lookup answers all of it.

    `tag_groups`: one group per tag the user chose, holding the ids of the tags with that name; a customer must
    have one tag of every group."""

    terms: tuple[str, ...] = ()
    status: str = ""
    temperatures: tuple[str, ...] = ()
    tag_groups: tuple[tuple[int, ...], ...] = ()
    active: bool = True

    def needs_index(self) -> bool:
        """False for the plain active list, which the primary key answers best."""
        return bool(self.terms or self.status or self.temperatures or self.tag_groups or not self.active)

    def tokens(self) -> list[list[str]]:
        """The filter tokens: a customer needs one token of every group."""
        state_group, tag_groups = self._token_groups()
        return ([state_group] if state_group else []) + tag_groups

    def _token_groups(self) -> tuple[list[str], list[list[str]]]:
        """The group that names the state, status and temperature (long lists: about half the customers are
        active current ones), and one group per tag."""
        state = "a" if self.active else "i"
        status = STATUS_CODES[self.status] if self.status else ""
        temperatures = [TEMPERATURE_CODES[t] for t in self.temperatures]
        if status and temperatures:
            state_group = [f"_{state}{status}{t}" for t in temperatures]
        elif status:
            state_group = [f"_{state}{status}"]
        elif temperatures:
            state_group = [f"_{state}t{t}" for t in temperatures]
        else:
            state_group = []
        tag_groups = [[f"_{state}g{int(i)}" for i in group] for group in self.tag_groups]
        if not state_group and not tag_groups and not (self.active and self.terms):
            state_group = [f"_{state}"]
        return state_group, tag_groups

    def _hidden(self) -> list[str]:
        """Words alone on the active list: "not inactive, not in the trash" (two short lists) rather than
        "active" (nearly every customer: intersecting with it costs as much as walking it)."""
        words_alone = self.terms and not (self.status or self.temperatures or self.tag_groups)
        return ["_i", "_x"] if self.active and words_alone else []

    def sqlite(self) -> str:
        """The FTS5 MATCH expression."""
        parts = [f'"{t}"*' for t in self.terms]
        for group in self.tokens():
            alternatives = " OR ".join(f'"{token}"' for token in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
        hidden = self._hidden()
        if hidden:
            return "(" + " AND ".join(parts) + ") NOT (" + " OR ".join(f'"{token}"' for token in hidden) + ")"
        return " AND ".join(parts)

    def postgres(self) -> str:
        """The tsquery text (cast with ::tsquery: lexemes are taken as written, like the index stores them)."""
        return " & ".join(self._pg_words_and_tags() + self._pg_state())

    def postgres_split(self) -> tuple[str, str] | None:
        """The tsquery as (words and tags, state and status): a GIN lookup of the first part alone, checking the
        second on the rows found, is cheaper when the words are rare, since merging a state token's long
        posting list costs several milliseconds. None when there is nothing to split."""
        words_and_tags, state = self._pg_words_and_tags(), self._pg_state()
        if not self.terms or not state:
            return None
        return " & ".join(words_and_tags), " & ".join(state)

    def _pg_words_and_tags(self) -> list[str]:
        return [_pg_term(t) for t in self.terms] + [_pg_any(group) for group in self._token_groups()[1]]

    def _pg_state(self) -> list[str]:
        state_group = self._token_groups()[0]
        return ([_pg_any(state_group)] if state_group else []) + [f"!'{token}'" for token in self._hidden()]


def _pg_any(tokens: list[str]) -> str:
    alternatives = " | ".join(f"'{token}'" for token in tokens)
    return f"({alternatives})" if len(tokens) > 1 else alternatives


def _checked(value: str, allowed: Iterable[str]) -> str:
    if value not in allowed:
        raise ValueError(f"not a filter value: {value!r}")
    return value


def index_query(*, terms, status="", temperatures=(), tag_groups=(), active=True) -> IndexQuery:
    from .models import Status, Temperature

    for term in terms:
        if not _TERM.fullmatch(term):
            raise ValueError(f"not a search term: {term!r}")
    return IndexQuery(
        terms=tuple(terms),
        status=_checked(status, Status.values) if status else "",
        temperatures=tuple(_checked(t, Temperature.values) for t in temperatures),
        tag_groups=tuple(tuple(int(i) for i in group) for group in tag_groups),
        active=bool(active),
    )


_TERM = re.compile(rf"[a-z0-9]{{1,{MAX_WORD_LENGTH}}}")


def matching_ids_sql(query: IndexQuery | list[str]) -> tuple[str, list[str]]:
    """SQL that selects the ids of the customers the index finds, for `id IN (...)`."""
    if not isinstance(query, IndexQuery):
        query = index_query(terms=query)
    if connection.vendor == "sqlite":
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query.sqlite()]
    return f"SELECT id FROM {PG_TABLE} WHERE vector @@ %s::tsquery", [query.postgres()]


# How the index is read. SQLite's FTS5 walks its doclists in rowid order (either way) and stops at LIMIT, so
# every read below is one statement. PostgreSQL's GIN index is unordered, and fetching every row it finds to sort
# them costs as many row reads as there are matches. So PostgreSQL first walks the index table by id from where
# the page starts (cheap: those rows are contiguous and a stored tsvector is checked in a microsecond), in
# windows of PG_WINDOW ids, walking on while the density seen says the page is near (up to PG_WALK ids); only if
# matches are rarer than that does it ask the GIN index for the rest, which is then cheap because they are few.
# The planner is told which plan each step wants instead of being left to guess how many rows will match.
PG_WINDOW = 10_000
PG_WALK = 10_000
# Up to this many rows found by the words (and tags) alone, the state and status are checked on them rather
# than looked up in the GIN index (see IndexQuery.postgres_split).
PG_CHECK_ROWS = 1000


def index_ids(query: IndexQuery, *, descending: bool = True, after: int | None = None, limit: int) -> list[int]:
    """Ids of up to `limit` matching customers in id order (descending: newest first), after the id `after`."""
    if limit <= 0:
        return []
    if connection.vendor == "sqlite":
        where, params = "", [query.sqlite()]
        if after is not None:
            where = " AND rowid < %s" if descending else " AND rowid > %s"
            params.append(after)
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{where} "
            f"ORDER BY rowid {'DESC' if descending else 'ASC'} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]
    return _pg_read(query, descending=descending, after=after, limit=limit, count=False)


def index_count(query: IndexQuery, *, limit: int) -> int:
    """How many customers match, counted up to `limit`."""
    if limit <= 0:
        return 0
    if connection.vendor == "sqlite":
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.sqlite(), limit])
            return cursor.fetchone()[0]
    return _pg_read(query, descending=True, after=None, limit=limit, count=True)


def index_size(query: IndexQuery, *, sparse: int, dense: int, walk: int, fills: int) -> str:
    """Roughly how many customers match: "sparse" (at most `sparse`), "dense" (about `dense` or more, so a walk
    in another order meets a match every few rows) or "middle". SQLite counts in FTS5 (cheap); PostgreSQL judges
    density from the newest window of the index and counts exactly only when that shows matches are rare: when
    `walk` rows would hold at least `fills` matches at that density, it says "middle" without counting."""
    if connection.vendor == "sqlite":
        found = index_count(query, limit=dense + 1)
        return "sparse" if found <= sparse else "middle" if found <= dense else "dense"
    tsquery = query.postgres()
    with _pg_reading() as cursor:
        bounds = _pg_begin(cursor, WALK)
        if bounds is None:
            return "sparse"
        low, high = bounds
        cursor.execute(
            f"SELECT count(*) FROM {PG_TABLE} WHERE id > %s AND vector @@ %s::tsquery", [high - PG_WINDOW, tsquery]
        )
        in_window = cursor.fetchone()[0]
    window = min(PG_WINDOW, high - low + 1)
    if in_window * (high - low + 1) / window >= dense:
        return "dense"
    if in_window * walk / window >= fills:
        return "middle"
    return "sparse" if index_count(query, limit=sparse + 1) <= sparse else "middle"


WALK = {"enable_bitmapscan": "off", "enable_seqscan": "off"}  # by the primary key, in id order
LOOKUP = {"enable_bitmapscan": "on", "enable_indexscan": "off", "enable_seqscan": "off"}  # GIN, then sort


@contextmanager
def _pg_reading():
    """A transaction (a savepoint inside one) for reads whose planner settings (set_config(..., true), i.e.
    SET LOCAL) must end with it: it is rolled back, never committed, so nothing leaks to later queries."""
    with transaction.atomic(), connection.cursor() as cursor:
        yield cursor
        transaction.set_rollback(True)


@contextmanager
def sorting_found_ids():
    """Around a read of a known set of ids sorted by some column: fetch them by id and sort them. PostgreSQL's
    planner may instead walk the column's index looking for them, which takes as long as the matches are far
    down that order (a search for "kwiaciarnia" sorted by name: half the index)."""
    if connection.vendor != "postgresql":
        yield
        return
    with _pg_reading() as cursor:
        _pg_plan(cursor, {"enable_indexscan": "off", "enable_indexonlyscan": "off"})
        yield


def _pg_plan(cursor, planner: dict) -> None:
    names = sorted(planner)
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names), [x for n in names for x in (n, planner[n])]
    )


def _pg_begin(cursor, planner: dict) -> tuple[int, int] | None:
    """Set the planner and read the ids' range, in one round trip."""
    names = sorted(planner)
    settings_sql = ", ".join("set_config(%s, %s, true)" for _ in names)
    cursor.execute(
        f"SELECT (SELECT min(id) FROM {PG_TABLE}), (SELECT max(id) FROM {PG_TABLE}), {settings_sql}",
        [x for n in names for x in (n, planner[n])],
    )
    low, high = cursor.fetchone()[:2]
    return None if low is None else (low, high)


def _pg_read(query: IndexQuery, *, descending: bool, after: int | None, limit: int, count: bool):
    """Up to `limit` matching ids in id order after `after` (or, with `count`, how many: newest first)."""
    order = "DESC" if descending else "ASC"

    def select(where: str, params: list, wanted: int, tsquery: str):
        if count:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM {PG_TABLE} WHERE {where} AND vector @@ %s::tsquery LIMIT %s) s"
            cursor.execute(sql, [*params, tsquery, wanted])
            return cursor.fetchone()[0]
        sql = f"SELECT id FROM {PG_TABLE} WHERE {where} AND vector @@ %s::tsquery ORDER BY id {order} LIMIT %s"
        cursor.execute(sql, [*params, tsquery, wanted])
        return [row[0] for row in cursor.fetchall()]

    tsquery = query.postgres()
    found = 0 if count else []
    with _pg_reading() as cursor:
        bounds = _pg_begin(cursor, WALK)
        if bounds is None:
            return found
        low, high = bounds
        if descending:
            start = high if after is None else min(high, after - 1)  # windows (start - span, start]
        else:
            start = low if after is None else max(low, after + 1)  # windows [start, start + span)
        # The first window: about what holds the rows wanted if 1 row in 40 matches; wider ones follow as needed.
        walked, span = 0, max(1000, min(PG_WINDOW, limit * 40))
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
            if walked + missing > PG_WALK:
                break
            span = int(missing * 1.25) + 100
        _pg_plan(cursor, LOOKUP)
        where, params = ("id + 0 <= %s" if descending else "id + 0 >= %s"), [start]  # "+ 0": GIN alone finds them
        split = query.postgres_split()
        if split and _pg_estimate(cursor, split[0]) <= PG_CHECK_ROWS:
            # "IS TRUE": the planner cannot use the index for it, so the state is checked on the rows found.
            tsquery, checked = split
            where, params = where + " AND (vector @@ %s::tsquery) IS TRUE", [*params, checked]
        found += select(where, params, limit - _size(found), tsquery)
        return found


def _pg_estimate(cursor, tsquery: str) -> float:
    """How many customers the planner expects the tsquery to find (from the vector column's statistics)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {PG_TABLE} WHERE vector @@ %s::tsquery", [tsquery])
    plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def _size(found) -> int:
    return found if isinstance(found, int) else len(found)
