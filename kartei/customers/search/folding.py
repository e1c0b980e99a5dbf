"""Text as search compares it: lower case, accents and special letters folded to ASCII."""

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i"})
# German readers type "Mueller" for "Müller": documents carry both spellings.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65_536)  # names, streets and cities repeat: a bulk load folds each once
def fold(text: str) -> str:
    """Lower case, accents and special letters folded to ASCII: "Łódź" -> "lodz", "Straße" -> "strasse"."""
    if text.isascii():
        return text.lower()
    text = text.lower().translate(_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words search knows in a text: runs of ASCII letters and digits once folded."""
    return _WORD.findall(fold(text))


def words_with_spellings(text: str) -> list[str]:
    """The words, plus "mueller" beside "muller" where the text has an umlaut."""
    found = words(text)
    if not text.isascii():
        lowered = text.lower()
        if any(u in lowered for u in "äöü"):
            found += words(lowered.translate(_UMLAUTS))
    return found
