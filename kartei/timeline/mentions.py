"""@mentions: a colleague, a customer or a product named in a comment with "@" before its name.

What the text says decides; nothing is a mention that the text does not name:
- Picked ones (from the list that appears while typing "@" on the page, or `mentions` in the API) are a kind
  and an id. Every place the text says "@" + the name of a picked one is a mention of it: a colleague's name or
  username, a customer's name, a product's SKU or its name in any language. A pick the text no longer names is
  dropped (the user deleted it after picking).
- Typed ones need no pick: "@" + a colleague's username or a product's SKU, in any case ("@anna", "@LMP-001").

A name counts only as a whole: not inside an e-mail address ("anna@example.com") and not as the start of a
longer word ("@Anna" in "@Annabelle"). Where names overlap, the longest wins.

A mention is stored as {"type": "staff", "id": 3, "start": 0, "end": 11}: start and end are offsets in the
text (in characters, the end exclusive) of the "@" + name it is at."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PICKS_MAX = 50  # picked names in one comment
_TYPED = re.compile(r"(?<![\w@])@(\w[\w.+-]*)")
_TRAILING = ".+-"  # what ends a sentence after a typed name ("ask @anna.")


class MentionType(models.TextChoices):
    STAFF = "staff", _("Colleague")
    CUSTOMER = "customer", _("Customer")
    PRODUCT = "product", _("Product")


@dataclass(frozen=True)
class Pick:
    """A colleague, customer or product picked to be named in a comment."""

    type: str
    id: int

    @classmethod
    def parse(cls, value: str) -> "Pick":
        """From the form's "staff:3"; ValidationError for anything else."""
        kind, _colon, pk = str(value).partition(":")
        if kind not in MentionType.values or not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            raise ValidationError({"mentions": _("Pick the colleague, customer or product from the list again.")})
        return cls(kind, int(pk))


def _names(picks: list[Pick]) -> Iterator[tuple[str, Pick]]:
    """(name, pick) for each name each picked one may be called by; ValidationError for one that does not exist
    (or no longer may be named: a colleague who left, a customer in the trash)."""
    from kartei.catalog.models import Product
    from kartei.customers.models import Customer

    ids = {kind: {p.id for p in picks if p.type == kind} for kind in MentionType.values}
    found: dict[tuple[str, int], list[str]] = {}
    for user in get_user_model().objects.filter(pk__in=ids[MentionType.STAFF], is_active=True):
        found[MentionType.STAFF, user.pk] = [user.get_full_name().strip(), user.get_username()]
    customers = Customer.objects.filter(pk__in=ids[MentionType.CUSTOMER], deleted_at__isnull=True)
    for pk, name in customers.values_list("pk", "name"):
        found[MentionType.CUSTOMER, pk] = [name]
    products = Product.objects.filter(pk__in=ids[MentionType.PRODUCT])
    for pk, *names in products.values_list("pk", "sku", "name_en", "name_de", "name_pl"):
        found[MentionType.PRODUCT, pk] = names
    missing = [p for p in picks if (p.type, p.id) not in found]
    if missing:
        raise ValidationError({"mentions": _("Someone or something picked to be mentioned is no longer there: "
                                             "pick again from the list.")})  # fmt: skip
    for pick in picks:
        for name in found[pick.type, pick.id]:
            if name:
                yield name, pick


def _typed(text: str) -> Iterator[tuple[str, Pick]]:
    """(name as typed, pick) for each "@username" of an active colleague and "@SKU" of a product in the text."""
    from kartei.catalog.models import Product

    words = {}
    for match in _TYPED.finditer(text[:100_000]):
        word = match.group(1)
        words[word] = word
        words[word.rstrip(_TRAILING)] = word.rstrip(_TRAILING)
        if len(words) > 2 * PICKS_MAX:
            break
    words = [w for w in words if w]
    if not words:
        return
    users = get_user_model().objects.annotate(key=Lower("username"))
    staff = dict(users.filter(key__in=[w.lower() for w in words], is_active=True).values_list("key", "pk"))
    products = Product.objects.annotate(key=Upper("sku"))
    skus = dict(products.filter(key__in=[w.upper() for w in words]).values_list("key", "pk"))
    for word in words:
        if word.lower() in staff:
            yield word, Pick(MentionType.STAFF, staff[word.lower()])
        elif word.upper() in skus:
            yield word, Pick(MentionType.PRODUCT, skus[word.upper()])


def _places(text: str, name: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each whole "@" + name in the text."""
    target = "@" + name
    start = text.find(target)
    while start >= 0:
        end = start + len(target)
        before_ok = start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_@")
        after_ok = end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if before_ok and after_ok:
            yield start, end
        start = text.find(target, start + 1)


def mentions_in(text: str, picks: Iterable[Pick] = ()) -> list[dict]:
    """The mentions in `text` (see the module), in the order they appear: [{"type", "id", "start", "end"}]."""
    picks = list(dict.fromkeys(picks))
    if any(p.type not in MentionType.values for p in picks):
        raise ValidationError({"mentions": _("A mention's type is staff, customer or product.")})
    if len(picks) > PICKS_MAX:
        raise ValidationError({"mentions": _("A comment mentions at most %(max)d names.") % {"max": PICKS_MAX}})
    named = sorted({*_names(picks), *_typed(text)}, key=lambda n: (-len(n[0]), n[0], n[1].type, n[1].id))
    taken: list[dict] = []
    for name, pick in named:
        for start, end in _places(text, name):
            if all(end <= m["start"] or start >= m["end"] for m in taken):
                taken.append({"type": pick.type, "id": pick.id, "start": start, "end": end})
    return sorted(taken, key=lambda m: m["start"])


def _link(mention: dict) -> str:
    if mention["type"] == MentionType.CUSTOMER:
        return reverse("customers:detail", args=[mention["id"]])
    if mention["type"] == MentionType.PRODUCT:
        return reverse("catalog:edit", args=[mention["id"]])
    return reverse("staff:list") + f"#member-{mention['id']}"


def _valid(text: str, mentions) -> list[dict]:
    """The stored mentions that fit the text, in order: a timeline shows whatever old or odd data holds."""
    if not isinstance(mentions, list):
        return []
    valid, end = [], 0
    for m in mentions:
        fits = (
            isinstance(m, dict)
            and m.get("type") in MentionType.values
            and all(type(m.get(key)) is int for key in ("id", "start", "end"))
            and end <= m["start"] < m["end"] <= len(text)
            and text[m["start"]] == "@"
        )
        if fits:
            valid.append(m)
            end = m["end"]
    return valid


def with_mentions(text: str, mentions) -> SafeString:
    """The text as HTML: escaped, exactly as typed, each mention a link to whom or what it names."""
    parts, end = [], 0
    for m in _valid(text, mentions):
        parts.append(format_html("{}", text[end : m["start"]]))
        parts.append(format_html('<a class="mention" href="{}">{}</a>', _link(m), text[m["start"] : m["end"]]))
        end = m["end"]
    parts.append(format_html("{}", text[end:]))
    return mark_safe("".join(parts))
