"""Every kind of event reads as a sentence in English, German and Polish, naming who did it: a member of staff by
name, the customer, Kartei itself, or "someone" for a user since deleted. A kind nobody registered reads as a
neutral sentence, never as an error."""

import pytest
from django.utils import translation

from kartei.timeline.actors import ActorType
from kartei.timeline.models import Event
from kartei.timeline.registry import EventType, EventTypes, event_types
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("translations")

ANNA = UserFactory.build(username="anna", first_name="Anna", last_name="Nowak")

# Each registered kind, with typical data, as a member of staff (Anna Nowak) did it.
BY_STAFF = [
    (
        "customer.created",
        {"source": "manual"},
        {
            "en": "Anna Nowak added the customer (source: Entered by hand)",
            "de": "Anna Nowak hat den Kunden angelegt (Quelle: Manuell angelegt)",
            "pl": "Dodano klienta (Anna Nowak, źródło: Dodany ręcznie)",
        },
    ),
    (
        "customer.created",
        {"source": "import"},
        {
            "en": "Anna Nowak added the customer (source: Import)",
            "de": "Anna Nowak hat den Kunden angelegt (Quelle: Import)",
            "pl": "Dodano klienta (Anna Nowak, źródło: Import)",
        },
    ),
    (
        "customer.created",
        {"source": "api"},
        {
            "en": "Anna Nowak added the customer (source: API)",
            "de": "Anna Nowak hat den Kunden angelegt (Quelle: API)",
            "pl": "Dodano klienta (Anna Nowak, źródło: API)",
        },
    ),
    (
        "customer.updated",
        {"changes": {"email": ["a@example.com", "b@example.com"]}},
        {
            "en": "Anna Nowak changed the email address",
            "de": "Anna Nowak hat die E-Mail-Adresse geändert",
            "pl": "Zmieniono adres e-mail (Anna Nowak)",
        },
    ),
    (
        "customer.updated",
        {"changes": {"email": ["a", "b"], "phone": ["+48", "+49"]}},
        {
            "en": "Anna Nowak changed the email address and the phone number",
            "de": "Anna Nowak hat die E-Mail-Adresse und die Telefonnummer geändert",
            "pl": "Zmieniono adres e-mail i numer telefonu (Anna Nowak)",
        },
    ),
    (
        "customer.updated",
        {"changes": {"name": ["A", "B"], "contact_person": ["", "Ewa"], "tags": ["", "VIP"]}},
        {
            "en": "Anna Nowak changed the name, the contact person and the tags",
            "de": "Anna Nowak hat den Namen, den Ansprechpartner und die Tags geändert",
            "pl": "Zmieniono nazwę, osobę kontaktową i tagi (Anna Nowak)",
        },
    ),
    (
        "customer.deactivated",
        {},
        {
            "en": "Anna Nowak deactivated the customer",
            "de": "Anna Nowak hat den Kunden deaktiviert",
            "pl": "Dezaktywowano klienta (Anna Nowak)",
        },
    ),
    (
        "customer.reactivated",
        {},
        {
            "en": "Anna Nowak reactivated the customer",
            "de": "Anna Nowak hat den Kunden reaktiviert",
            "pl": "Ponownie aktywowano klienta (Anna Nowak)",
        },
    ),
    (
        "customer.deleted",
        {},
        {
            "en": "Anna Nowak moved the customer to the trash",
            "de": "Anna Nowak hat den Kunden in den Papierkorb verschoben",
            "pl": "Przeniesiono klienta do kosza (Anna Nowak)",
        },
    ),
    (
        "customer.restored",
        {},
        {
            "en": "Anna Nowak restored the customer from the trash",
            "de": "Anna Nowak hat den Kunden aus dem Papierkorb wiederhergestellt",
            "pl": "Przywrócono klienta z kosza (Anna Nowak)",
        },
    ),
    (
        "note.added",
        {"priority": "high"},
        {
            "en": "Anna Nowak added a note",
            "de": "Anna Nowak hat eine Notiz hinzugefügt",
            "pl": "Dodano notatkę (Anna Nowak)",
        },
    ),
    (
        "note.updated",
        {"priority": "none"},
        {
            "en": "Anna Nowak edited a note",
            "de": "Anna Nowak hat eine Notiz bearbeitet",
            "pl": "Edytowano notatkę (Anna Nowak)",
        },
    ),
    (
        "note.deleted",
        {"text": "Call back on Monday"},
        {
            "en": "Anna Nowak deleted the note “Call back on Monday”",
            "de": "Anna Nowak hat die Notiz „Call back on Monday“ gelöscht",
            "pl": "Usunięto notatkę „Call back on Monday” (Anna Nowak)",
        },
    ),
    (
        "comment.added",
        {"text": "<b>Ask</b> about the\n  samples"},
        {
            "en": "Anna Nowak wrote a comment",
            "de": "Anna Nowak hat einen Kommentar geschrieben",
            "pl": "Dodano komentarz (Anna Nowak)",
        },
    ),
    (
        "comment.deleted",
        {},
        {
            "en": "Anna Nowak deleted a comment",
            "de": "Anna Nowak hat einen Kommentar gelöscht",
            "pl": "Usunięto komentarz (Anna Nowak)",
        },
    ),
    (
        "attachment.added",
        {"names": "offer.pdf, photo.jpg"},
        {
            "en": "Anna Nowak attached offer.pdf, photo.jpg",
            "de": "Anna Nowak hat offer.pdf, photo.jpg angehängt",
            "pl": "Załączono offer.pdf, photo.jpg (Anna Nowak)",
        },
    ),
    (
        "message.sent",
        {"subject": "Ihr Angebot"},
        {
            "en": "Anna Nowak sent the message “Ihr Angebot”",
            "de": "Anna Nowak hat die Nachricht „Ihr Angebot“ gesendet",
            "pl": "Wysłano wiadomość „Ihr Angebot” (Anna Nowak)",
        },
    ),
    (
        "message.failed",
        {"subject": "Ihr Angebot"},
        {
            "en": "The message “Ihr Angebot” could not be sent",
            "de": "Die Nachricht „Ihr Angebot“ konnte nicht gesendet werden",
            "pl": "Nie udało się wysłać wiadomości „Ihr Angebot”",
        },
    ),
    (
        "message.received",
        {"text": "Danke", "sender": ""},
        {"en": "Anna Nowak replied", "de": "Anna Nowak hat geantwortet", "pl": "Odpowiedź (Anna Nowak)"},
    ),
    (
        "message.reply_links_revoked",
        {},
        {
            "en": "Anna Nowak stopped the reply links of earlier messages",
            "de": "Anna Nowak hat die Antwortlinks früherer Nachrichten gesperrt",
            "pl": "Wyłączono linki do odpowiedzi we wcześniejszych wiadomościach (Anna Nowak)",
        },
    ),
    (
        "order.placed",
        {"number": "2026-000042", "total": "1234.5", "currency": "EUR", "source": "staff"},
        {
            "en": "Anna Nowak placed order 2026-000042 for €1,234.50 (Staff, for the customer)",
            "de": "Anna Nowak hat die Bestellung 2026-000042 über 1.234,50\xa0€ aufgegeben "
            "(Mitarbeiter, für den Kunden)",
            "pl": "Złożono zamówienie 2026-000042 na 1\xa0234,50\xa0€ (Anna Nowak, Pracownik, w imieniu klienta)",
        },
    ),
    (
        "order.status_changed",
        {"number": "2026-000042", "from": "new", "to": "in_production"},
        {
            "en": "Anna Nowak set order 2026-000042 to “In production”",
            "de": "Anna Nowak hat die Bestellung 2026-000042 auf „In Produktion“ gesetzt",
            "pl": "Zmieniono status zamówienia 2026-000042 na „W produkcji” (Anna Nowak)",
        },
    ),
    (
        "quick_order_link.created",
        {},
        {
            "en": "Anna Nowak made a new quick-order link",
            "de": "Anna Nowak hat einen neuen Schnellbestelllink erstellt",
            "pl": "Utworzono nowy link szybkiego zamówienia (Anna Nowak)",
        },
    ),
    (
        "quick_order_link.revoked",
        {},
        {
            "en": "Anna Nowak revoked the quick-order link",
            "de": "Anna Nowak hat den Schnellbestelllink widerrufen",
            "pl": "Unieważniono link szybkiego zamówienia (Anna Nowak)",
        },
    ),
]


def event(kind, data=None, *, actor_type=ActorType.STAFF, actor=ANNA) -> Event:
    return Event(kind=kind, actor_type=actor_type, actor=actor if actor_type == ActorType.STAFF else None, data=data)


def read(event: Event, lang: str) -> str:
    with translation.override(lang):
        return event.text()


@pytest.mark.parametrize("lang", ["en", "de", "pl"])
@pytest.mark.parametrize(("kind", "data", "expected"), BY_STAFF, ids=[f"{k}-{i}" for i, (k, *_) in enumerate(BY_STAFF)])
def test_each_kind_reads_as_a_sentence_naming_the_member_of_staff(kind, data, expected, lang):
    assert read(event(kind, data), lang) == expected[lang]


def test_every_registered_kind_is_read_above():
    assert {t.name for t in event_types} == {kind for kind, *_ in BY_STAFF}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Kartei added the customer (source: Import)"),
        ("de", "Kartei hat den Kunden angelegt (Quelle: Import)"),
        ("pl", "Dodano klienta (Kartei, źródło: Import)"),
    ],
)
def test_the_system_reads_as_kartei(lang, expected):
    assert read(event("customer.created", {"source": "import"}, actor_type=ActorType.SYSTEM), lang) == expected


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("customer.created", {"source": "quick_order"}, {
            "en": "The customer signed up (source: Quick-order link)",
            "de": "Der Kunde hat sich selbst registriert (Quelle: Schnellbestelllink)",
            "pl": "Klient zarejestrował się (źródło: Link szybkiego zamówienia)",
        }),
        ("customer.updated", {"changes": {"phone": ["", "+48512345678"]}}, {
            "en": "The customer changed the phone number",
            "de": "Der Kunde hat die Telefonnummer geändert",
            "pl": "Klient zmienił numer telefonu",
        }),
        ("note.added", {"priority": "none"}, {
            "en": "The customer left a note",
            "de": "Der Kunde hat eine Notiz hinterlassen",
            "pl": "Klient zostawił notatkę",
        }),
        ("order.placed", {"number": "2026-000042", "total": "99", "currency": "PLN", "source": "quick_order"}, {
            "en": "The customer placed order 2026-000042 for PLN99.00 (Quick-order link)",
            "de": "Der Kunde hat die Bestellung 2026-000042 über 99,00\xa0PLN aufgegeben (Schnellbestelllink)",
            "pl": "Klient złożył zamówienie 2026-000042 na 99,00\xa0zł (Link szybkiego zamówienia)",
        }),
        ("message.received", {"text": "Danke", "sender": "anna@example.de"}, {
            "en": "The customer replied",
            "de": "Der Kunde hat geantwortet",
            "pl": "Klient odpowiedział",
        }),
        # A kind with no sentence of its own for the customer names them in its usual one.
        ("note.updated", {"priority": "none"}, {
            "en": "The customer edited a note",
            "de": "Der Kunde hat eine Notiz bearbeitet",
            "pl": "Edytowano notatkę (klient)",
        }),
    ],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["en", "de", "pl"])
def test_the_customer_reads_as_the_customer(kind, data, expected, lang):
    assert read(event(kind, data, actor_type=ActorType.CUSTOMER), lang) == expected[lang]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Someone added a note"),
        ("de", "Jemand hat eine Notiz hinzugefügt"),
        ("pl", "Dodano notatkę (nieznany użytkownik)"),
    ],
)
def test_a_deleted_user_reads_as_someone(lang, expected):
    assert read(event("note.added", {"priority": "high"}, actor=None), lang) == expected


def test_a_user_without_a_full_name_reads_as_their_username_as_written():
    jdoe = UserFactory.build(username="jdoe", first_name="", last_name="")
    assert read(event("customer.deleted", actor=jdoe), "en") == "jdoe moved the customer to the trash"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Anna Nowak changed the name, the email address and 5 other details"),
        ("de", "Anna Nowak hat den Namen, die E-Mail-Adresse und 5 weitere Angaben geändert"),
        ("pl", "Zmieniono nazwę, adres e-mail i 5 innych pól (Anna Nowak)"),
    ],
)
def test_many_changed_fields_read_as_the_first_ones_and_a_count(lang, expected):
    fields = ["name", "email", "phone", "status", "temperature", "tags", "picture"]
    changes = {field: ["", "x"] for field in fields}
    assert read(event("customer.updated", {"changes": changes}), lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Anna Nowak changed the name, the status and 2 other details"),
        ("de", "Anna Nowak hat den Namen, den Status und 2 weitere Angaben geändert"),
        ("pl", "Zmieniono nazwę, status i 2 inne pola (Anna Nowak)"),
    ],
)
def test_four_changed_fields_use_the_plural_of_a_few(lang, expected):
    changes = {field: ["", "x"] for field in ("name", "status", "discount_percent", "addresses")}
    assert read(event("customer.updated", {"changes": changes}), lang) == expected


def test_every_field_a_customer_update_can_change_has_a_name_in_each_language():
    from kartei.customers.events import FIELD_NAMES
    from kartei.customers.services import SCALAR_FIELDS

    assert set(FIELD_NAMES) == {*SCALAR_FIELDS, "tags", "addresses", "picture"}
    for field, name in FIELD_NAMES.items():
        with translation.override("en"):
            english = str(name)
        for lang in ("de", "pl"):
            with translation.override(lang):
                assert str(name) != english, (field, lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Anna Nowak made a change", "The customer made a change", "Kartei made a change"]),
        ("de", ["Anna Nowak hat eine Änderung vorgenommen", "Der Kunde hat eine Änderung vorgenommen",
                "Kartei hat eine Änderung vorgenommen"]),
        ("pl", ["Wprowadzono zmianę (Anna Nowak)", "Klient wprowadził zmianę", "Wprowadzono zmianę (Kartei)"]),
    ],
)  # fmt: skip
def test_an_unknown_kind_reads_as_a_neutral_sentence(lang, expected):
    actors = [ActorType.STAFF, ActorType.CUSTOMER, ActorType.SYSTEM]
    assert [read(event("order.teleported", {"x": 1}, actor_type=a), lang) for a in actors] == expected


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("customer.created", {}, "Anna Nowak added the customer (source: ?)"),
        ("customer.created", {"source": "fax"}, "Anna Nowak added the customer (source: fax)"),
        ("customer.updated", {}, "Anna Nowak changed the details"),
        ("customer.updated", {"changes": ["name"]}, "Anna Nowak changed the details"),
        ("customer.updated", {"changes": {"shoe_size": ["41", "42"]}}, "Anna Nowak changed shoe_size"),
        ("customer.created", ["not", "a", "dict"], "Anna Nowak added the customer (source: ?)"),
        ("customer.deleted", None, "Anna Nowak moved the customer to the trash"),
    ],
)
def test_odd_or_old_data_still_reads(kind, data, expected):
    assert read(event(kind, data), "en") == expected


def test_a_sentence_that_does_not_fit_its_data_reads_neutrally_instead_of_failing():
    broken = EventType("test.broken", "{actor} did {something_never_given}", data=("x",))
    assert broken.text(event("test.broken", {"x": 1})) == "Anna Nowak made a change"


def test_a_kind_cannot_be_registered_twice():
    registry = EventTypes()
    registry.register(EventType("test.done", "{actor} did it"))
    with pytest.raises(ValueError, match="registered already"):
        registry.register(EventType("test.done", "{actor} did it again"))


def test_an_app_looks_up_a_kind_it_may_record_and_only_a_registered_one():
    registry = EventTypes()
    done = registry.register(EventType("test.done", "{actor} did it"))
    assert registry.get("test.done") is done and registry.lookup("test.done") is done
    assert "test.done" in registry and "test.other" not in registry
    with pytest.raises(ValueError, match="test.other"):
        registry.get("test.other")
    assert registry.lookup("test.other").text(event("test.other")) == "Anna Nowak made a change"
