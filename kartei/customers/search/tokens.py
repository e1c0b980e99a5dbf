"""The search index's grammar: besides the folded words of each customer's document, its entry carries the
customer's filters as tokens, so a list narrowed by words and filters is one lookup in the index.

Every token starts with "_" (which folded words never contain, so typing cannot find one) and the customer's
state S (a: active, i: inactive, x: in the trash); the common combinations are single tokens, so "active,
potential, hot" is one posting list rather than an intersection of three:

    _S   _S<status>   _S<status><temperature>   _St<temperature>   _Sg<tag id> (one per tag)

with status c(urrent)/p(otential) and temperature h(ot)/w(arm)/c(old)/n(ot interested)/0 (none). Both databases'
index SQL (sqlite.py, postgres.py) writes the tokens from these tables; IndexQuery below asks for them."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .terms import MAX_TERM_LENGTH

STATES = {"active": "a", "inactive": "i", "trash": "x"}
STATUS_CODES = {"current": "c", "potential": "p"}
NO_STATUS = "_"
TEMPERATURE_CODES = {"hot": "h", "warm": "w", "cold": "c", "not_interested": "n"}
NO_TEMPERATURE = "0"

_TERM = re.compile(rf"[a-z0-9]{{1,{MAX_TERM_LENGTH}}}")


def entry_tokens(*, deleted: bool, active: bool, status: str, temperature: str, tag_ids: Iterable[int]) -> list[str]:
    """A customer's tokens, as the index SQL writes them (for entries made outside the database: bulk writes)."""
    s = STATES["trash"] if deleted else STATES["active"] if active else STATES["inactive"]
    status = STATUS_CODES.get(status, NO_STATUS)
    temperature = TEMPERATURE_CODES.get(temperature, NO_TEMPERATURE)
    return [
        f"_{s}",
        f"_{s}{status}",
        f"_{s}{status}{temperature}",
        f"_{s}t{temperature}",
        *(f"_{s}g{int(tag_id)}" for tag_id in tag_ids),
    ]


@dataclass(frozen=True)
class IndexQuery:
    """What a list asks of the search index: words (each the beginning of a word of the document) and filters.

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

    def without_terms(self) -> "IndexQuery":
        return IndexQuery(
            status=self.status, temperatures=self.temperatures, tag_groups=self.tag_groups, active=self.active
        )

    def tokens(self) -> list[list[str]]:
        """The filter tokens: a customer needs one token of every group."""
        state_group, tag_groups = self.token_groups()
        return ([state_group] if state_group else []) + tag_groups

    def token_groups(self) -> tuple[list[str], list[list[str]]]:
        """The group that names the state, status and temperature (long lists: about half the customers are
        active current ones), and one group per tag."""
        state = STATES["active"] if self.active else STATES["inactive"]
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

    def hidden(self) -> list[str]:
        """Words alone on the active list: "not inactive, not in the trash" (two short lists) rather than
        "active" (nearly every customer: intersecting with it costs as much as walking it)."""
        words_alone = self.terms and not (self.status or self.temperatures or self.tag_groups)
        return [f"_{STATES['inactive']}", f"_{STATES['trash']}"] if self.active and words_alone else []


def index_query(*, terms: Iterable[str], status="", temperatures=(), tag_groups=(), active=True) -> IndexQuery:
    """An IndexQuery from checked parts: the words as query_terms gives them, filter values from the models'
    choices. Anything else is a programming error (ValueError), never text that reaches the index."""
    from ..models import Status, Temperature

    terms = tuple(terms)
    for term in terms:
        if not _TERM.fullmatch(term):
            raise ValueError(f"not a search term: {term!r}")
    return IndexQuery(
        terms=terms,
        status=_checked(status, Status.values) if status else "",
        temperatures=tuple(_checked(t, Temperature.values) for t in temperatures),
        tag_groups=tuple(tuple(int(i) for i in group) for group in tag_groups),
        active=bool(active),
    )


def _checked(value: str, allowed: Iterable[str]) -> str:
    if value not in allowed:
        raise ValueError(f"not a filter value: {value!r}")
    return value
