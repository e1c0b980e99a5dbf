"""The kinds of timeline events. Each app registers the kinds it records (in its AppConfig.ready()); each kind
knows the data it carries and how to read as a sentence in the active language. The timeline, the customer page
and the API read every event through here, so a new kind needs no template and no `if kind == ...` anywhere.

    register(EventType(
        "note.added",
        _("{actor} added a note"),
        by_customer=_("The customer left a note"),
        data=("priority",),
    ))

An event whose kind is not registered (an app since removed, a typo in old data) reads as a neutral sentence,
"Anna Nowak made a change": showing a timeline never fails. Recording one is refused (see services.event_record).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .actors import ActorType, actor_is_named, actor_label, actor_name


@dataclass(frozen=True)
class EventType:
    """A kind of event.

    `sentence`: the event as a sentence, a gettext_lazy string with the placeholders {actor} (the actor's name)
    and one per value `values` gives (by default each key of `data`), e.g. "{actor} added the customer
    ({source})". Translators move {actor} where their language wants it. The first letter is capitalised,
    unless the sentence starts with a user's own name.

    `by_customer`: the sentence when the customer acted themselves, where "{actor} …" with "the customer" would
    read badly (in Polish the verb then agrees with "klient"); without it `sentence` is used.

    `data`: the keys the event's data may hold; recording other keys is refused.

    `values`: data -> the texts of the placeholders (labels instead of stored codes, lists of fields, ...);
    by default each declared key's value as stored. It must cope with missing or odd values: old rows and
    other versions write what they wrote.

    `body`: the key of `data` holding text shown below the sentence exactly as it was typed."""

    name: str
    sentence: Promise | str
    data: tuple[str, ...] = ()
    by_customer: Promise | str | None = None
    values: Callable[[Mapping], Mapping[str, object]] | None = None
    body: str | None = None  # a key of `data` whose text is shown below the sentence, as typed (a comment)

    def placeholders(self, data: Mapping) -> Mapping[str, object]:
        if self.values is not None:
            return self.values(data)
        return {key: data.get(key, "?") for key in self.data}

    def text(self, event) -> str:
        """The event as a sentence in the active language. Never raises: if the data or a translation does not
        fit the sentence, the event reads as the neutral sentence instead."""
        sentence = self.by_customer if event.actor_type == ActorType.CUSTOMER and self.by_customer else self.sentence
        name = actor_name(event)
        try:
            values = self.placeholders(event.data if isinstance(event.data, Mapping) else {})
            text = str(sentence).format(**values, actor=name)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            return actor_label(event) if self is NEUTRAL else NEUTRAL.text(event)
        # "someone added …" -> "Someone added …"; a user's own name stays as they wrote it ("jdoe added …").
        return text if actor_is_named(event) and text.startswith(name) else capfirst(text)


# What an event of a kind nobody registered reads as.
NEUTRAL = EventType("", _("{actor} made a change"), by_customer=_("The customer made a change"))


class EventTypes:
    """The registry: kind name -> EventType; and the families the timeline can be narrowed to, each the kinds
    whose name starts with the family's ("order" -> order.placed, order.status_changed)."""

    def __init__(self):
        self._types: dict[str, EventType] = {}
        self._families: dict[str, Promise | str] = {}

    def register_family(self, name: str, label: Promise | str) -> None:
        """A family of kinds, as the timeline's filter names it ("Orders")."""
        if not name or "." in name:
            raise ValueError(f"A family is the part of a kind before its dot, such as 'order', not {name!r}.")
        self._families[name] = label

    def families(self) -> list[tuple[str, str]]:
        """(name, label in the active language) of each family, in the order they were registered."""
        return [(name, str(label)) for name, label in self._families.items()]

    def is_filter(self, kind: str) -> bool:
        """Whether `kind` names a family or a registered kind (what a timeline can be narrowed to)."""
        return kind in self._families or kind in self._types

    def register(self, event_type: EventType) -> EventType:
        if not event_type.name:
            raise ValueError("An event type needs a name, such as 'note.added'.")
        if event_type.name in self._types:
            raise ValueError(f"The event type {event_type.name!r} is registered already.")
        self._types[event_type.name] = event_type
        return event_type

    def get(self, kind: str) -> EventType:
        """The registered type of `kind`; ValueError if there is none (recording an unknown kind is a bug)."""
        try:
            return self._types[kind]
        except KeyError:
            raise ValueError(f"No event type {kind!r} is registered; register it in its app's ready().") from None

    def lookup(self, kind: str) -> EventType:
        """The type to read an event of `kind` with: its own, or the neutral one. Never raises."""
        return self._types.get(kind, NEUTRAL)

    def __contains__(self, kind: str) -> bool:
        return kind in self._types

    def __iter__(self) -> Iterator[EventType]:
        return iter(self._types.values())


event_types = EventTypes()
register = event_types.register
register_family = event_types.register_family
lookup = event_types.lookup
