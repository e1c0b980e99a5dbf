"""The German and Polish translations are complete: every message has a translation, nothing in the code
or the templates is missing from the .po files, and the pages really show the translated words."""

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from kartei.customers.demo_data import DE, PL
from tests.factories import make_customer

LANGUAGES = ("de", "pl")
# kartei/locale: the one entry of LOCALE_PATHS (settings.py).
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SOURCE_DIR = LOCALE_DIR.parent  # the kartei package
# What `kartei makemessages -l de -l pl --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench
# --no-location` (run from the project root) skips.
IGNORE = [".venv", "node_modules", "tests", "bench"]
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
# A printf-style placeholder, named or not: %(name)s, %(max)d, %s, %.2f. Its name ('' if none) and type.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifr])")


def _catalog(path: Path):
    with path.open("rb") as po_file:
        return read_po(po_file)


def _key(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context} | {msgid}" if message.context else msgid


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_po_file_names_its_language_and_plural_forms(lang):
    catalog = _catalog(_po(lang))
    assert str(catalog.locale) == lang
    assert not catalog.fuzzy, "the header is marked fuzzy"
    plural_forms = " ".join(dict(catalog.mime_headers)["Plural-Forms"].split())
    assert plural_forms == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_has_a_translation(lang):
    catalog = _catalog(_po(lang))
    messages = [m for m in catalog if m.id]
    assert messages, f"{_po(lang)} has no messages"
    untranslated, fuzzy, wrong_placeholders = [], [], []
    for message in messages:
        if message.fuzzy:
            fuzzy.append(_key(message))
        if message.pluralizable:
            strings = list(message.string)
            if len(strings) != catalog.num_plurals or not all(strings):
                untranslated.append(_key(message))
                continue
            sources = message.id
        else:
            strings = [message.string]
            if not message.string:
                untranslated.append(_key(message))
                continue
            sources = [message.id]
        if message.python_format:
            expected = set(PLACEHOLDER.findall(sources[-1])) | set(PLACEHOLDER.findall(sources[0]))
            for string in strings:
                if set(PLACEHOLDER.findall(string)) != expected:
                    wrong_placeholders.append(f"{_key(message)} -> {string}")
    assert not untranslated, f"{lang}: no translation (or not every plural form) for: {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy translations left: {fuzzy}"
    assert not wrong_placeholders, f"{lang}: placeholders differ from the msgid: {wrong_placeholders}"


def test_the_po_files_hold_every_message_in_the_code_and_templates(tmp_path, settings, monkeypatch):
    """Extract the messages afresh, as `kartei makemessages` does, from a copy of the source (makemessages
    writes temporary files next to the templates; the copy keeps them out of the working tree), and compare."""
    root = tmp_path / "src"
    shutil.copytree(
        SOURCE_DIR,
        root / SOURCE_DIR.name,
        # vendor/: Bootstrap and htmx, copied from node_modules; nothing of ours to translate.
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "vendor"),
    )
    fresh_locale = root / SOURCE_DIR.name / "locale"
    fresh_locale.mkdir()
    settings.LOCALE_PATHS = [fresh_locale]
    monkeypatch.chdir(root)
    call_command("makemessages", locale=list(LANGUAGES), ignore_patterns=IGNORE, no_location=True, verbosity=0)

    for lang in LANGUAGES:
        fresh = {_key(m) for m in _catalog(fresh_locale / lang / "LC_MESSAGES" / "django.po") if m.id}
        committed = {_key(m) for m in _catalog(_po(lang)) if m.id}
        assert fresh, "makemessages extracted nothing"
        missing = sorted(fresh - committed)
        assert not missing, (
            f"kartei/locale/{lang}/LC_MESSAGES/django.po lacks {len(missing)} message(s) found in the source; "
            f"run `kartei makemessages -l de -l pl --ignore=.venv --ignore=node_modules --ignore=tests "
            f"--ignore=bench --no-location` and translate them: {missing}"
        )


@pytest.fixture
def compiled_locale(tmp_path, settings):
    """The committed .po files compiled (by `kartei compile_translations`) into a copy of the locale dir,
    so the test sees the translations as they are now, not a stale .mo."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    call_command("compile_translations", stdout=io.StringIO())
    return locale


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "current", "potential"),
    [("de", "Aktuelle Kunden", "Potenzielle Kunden"), ("pl", "Obecni klienci", "Potencjalni klienci")],
)
def test_the_customers_page_speaks_the_chosen_language(compiled_locale, staff_client, lang, current, potential):
    make_customer(name="Bäckerei Müller")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    page = staff_client.get("/customers/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{lang}">' in html
    assert current in html
    assert potential in html
    assert "Current customers" not in html


@pytest.mark.django_db
def test_the_browser_language_is_used_without_a_choice(compiled_locale, staff_client):
    make_customer(name="Piekarnia Nowak")

    page = staff_client.get("/customers/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})

    assert "Obecni klienci" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "added", "edit", "marketing", "consent", "not_said"),
    [
        ("de", "Angelegt am", "Bearbeiten", "Werbe-E-Mails", "Eingewilligt", "Kunde seit"),
        ("pl", "Data dodania", "Edycja", "E-maile marketingowe", "Tak", "Klient od"),
    ],
)
def test_a_lead_reads_as_a_lead_and_each_word_fits_its_place(
    compiled_locale, staff_client, lang, added, edit, marketing, consent, not_said
):
    lead = make_customer(name="Neuer Kontakt", status="potential", marketing_consent=True)
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    page = staff_client.get(f"/customers/{lead.pk}/").content.decode()
    assert added in page and not_said not in page  # a lead is not a customer yet
    assert f'{marketing}</dt><dd class="col-7">{consent}' in page
    breadcrumb = staff_client.get(f"/customers/{lead.pk}/edit/").content.decode().split('aria-current="page">')[1]
    assert breadcrumb.startswith(edit)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "de", "pl"])
def test_a_deactivated_customer_is_said_to_be_under_the_filter_by_the_filters_own_name(
    compiled_locale, staff_client, lang
):
    customer = make_customer(name="Ruhende GmbH")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    options = staff_client.get("/customers/").content.decode()
    shown = options.split('<option value="false"')[1].split(">", 1)[1].split("<", 1)[0]

    page = staff_client.post(f"/customers/{customer.pk}/active/", {"active": "0"}, follow=True).content.decode()

    assert f"„{shown}“" in page or f"“{shown}”" in page or f"„{shown}”" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "labels", "search"),
    [
        (
            "de",
            ["Privat", "Büro", "Rechnungsadresse", "Lieferadresse"],
            "Nach Name, E-Mail, Telefon oder USt-IdNr. suchen",
        ),
        ("pl", ["Domowy", "Służbowy", "Do faktury", "Do wysyłki"], "Szukaj według nazwy, e-maila, telefonu lub NIP-u"),
    ],
)
def test_addresses_are_labelled_and_the_search_box_worded_as_people_say_it(compiled_locale, staff_client, lang,
                                                                           labels, search):  # fmt: skip
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    form = staff_client.get("/customers/new/").content.decode()
    offered = re.findall(
        r'<option value="([^"]+)">', form.split('<datalist id="address-labels">')[1].split("</datalist>")[0]
    )
    assert offered == labels
    assert list({"de": DE, "pl": PL}[lang]["label"]) == labels  # the demo's customers are labelled the same way
    assert f'placeholder="{search}' in staff_client.get("/customers/").content.decode()
