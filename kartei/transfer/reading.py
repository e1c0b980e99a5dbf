"""Reading the tables people bring: CSV in any common delimiter and encoding, Excel (XLSX, XLS) and
OpenDocument (ODS) sheets. Rows come one at a time with their line number in the file; a CSV file is never read
into memory whole."""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

SAMPLE_BYTES = 64 * 1024  # read to tell the encoding and the delimiter
DELIMITERS = ",;\t|"
HEADER_SEARCH_LINES = 10  # a header may sit below a title line (DATEV's EXTF files put it on line 2)
FIELD_MAX = 1024 * 1024  # characters in one cell of a CSV file
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


class FileProblem(Exception):
    """A file Kartei cannot read as a table; the message says why, in the user's language."""


@dataclass
class Table:
    header: list[str]
    header_line: int  # the header's line number (1 = the first line)
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells) after the header, empty lines left out


def read_table(path: Path, *, looks_like_header: Callable[[list[str]], bool], sheet: str = "") -> Table:
    """The table in a CSV or spreadsheet file (its first sheet, or the one named `sheet`); its header is the first
    of its first lines that `looks_like_header`, else its first line that is not empty. Contact cards (vCard) are a
    table of their own."""
    from . import vcard

    path = Path(path)
    if path.suffix.lower() in SPREADSHEETS:
        lines = _spreadsheet_lines(path, sheet)
    elif vcard.is_vcard(path):
        return vcard.vcard_table(path)
    else:
        lines = _csv_lines(path)
    return _with_header(lines, looks_like_header)


def _with_header(lines: Iterator[tuple[int, list[str]]], looks_like_header) -> Table:
    first = []
    for number, cells in lines:
        if any(cells):
            first.append((number, cells))
        if len(first) == HEADER_SEARCH_LINES:
            break
    if not first:
        raise FileProblem(_("The file is empty."))
    at = next((i for i, (_number, cells) in enumerate(first) if looks_like_header(cells)), 0)
    header_line, header = first[at]

    def rows():
        yield from first[at + 1 :]
        for number, cells in lines:
            if any(cells):
                yield number, cells

    return Table(header=[h.strip() for h in header], header_line=header_line, rows=rows())


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    encoding = _encoding(sample)
    text = sample.decode(encoding, errors="replace")
    if "\x00" in text:
        raise FileProblem(_("This is not a CSV file or a spreadsheet Kartei can read."))
    delimiter = _delimiter(text)
    return _records(path, encoding, delimiter)


def _records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(FIELD_MAX)
    with path.open("r", encoding=encoding, errors="strict", newline="") as file:
        reader = csv.reader(file, delimiter=delimiter)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise FileProblem(
                    _("Line %(line)d cannot be read as %(encoding)s text.") % {"line": start, "encoding": encoding}
                ) from None
            except csv.Error as error:
                message = _("Line %(line)d cannot be read: %(error)s") % {"line": start, "error": error}
                if "field larger" in str(error):
                    message = _("Line %(line)d has a cell longer than a million characters.") % {"line": start}
                raise FileProblem(message) from None
            if "\x00" in "".join(cells):
                raise FileProblem(_("Line %(line)d holds a NUL character: is this a text file?") % {"line": start})
            yield start, cells
            start = reader.line_num + 1


def _encoding(sample: bytes) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one (Excel's "Unicode text"), else what the bytes
    look like (Windows-1252, Windows-1250, ISO-8859-2, Mac Roman …)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3 and len(sample) == SAMPLE_BYTES:
            return "utf-8"  # the sample ends inside a character
    scored = []
    for encoding in EIGHT_BIT:
        try:
            scored.append((_likeliness(sample.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if scored and max(scored)[0] > 0:
        return max(scored)[1]
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise FileProblem(_("This is not a CSV file or a spreadsheet Kartei can read."))
    return best.encoding


# The 8-bit encodings German and Polish files come in, most common first (a tie goes to the first).
EIGHT_BIT = ("cp1252", "cp1250", "iso-8859-2", "mac_roman")
LETTERS = set("äöüßÄÖÜąćęłńóśźżĄĆĘŁŃÓŚŹŻéèêàâçñÉÈÀÇÑ€")
UNLIKELY = set("¤¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷˘˙˝˛ˇ")


def _likeliness(text: str) -> int:
    """How much `text` looks like German or Polish: their letters count for it, symbols and control characters
    that a wrong 8-bit encoding makes of them count against it."""
    score = 0
    for char in text:
        if char in LETTERS:
            score += 1
        elif char in UNLIKELY or "\x80" <= char <= "\x9f" or (char > "ÿ" and char not in LETTERS and char.isalpha()):
            score -= 3
    return score


def _delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most columns, the same number on each line."""
    lines = text.splitlines()[:20] or [""]
    best, score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if row]
        if not counts or counts[0] < 2:
            continue
        same = sum(1 for c in counts if c == counts[0])
        candidate = (same, counts[0])
        if candidate > score:
            best, score = delimiter, candidate
    return best


def rows_expected(path: Path) -> int | None:
    """About how many rows a file holds, counted fast without reading them: a CSV file's lines less the header,
    a vCard file's cards; None for a workbook."""
    from . import vcard

    path = Path(path)
    if path.suffix.lower() in SPREADSHEETS:
        return None
    cards = vcard.is_vcard(path)  # named so, or found so by its first line, as read_table reads it
    lines = 0
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            lines += chunk.upper().count(b"BEGIN:VCARD") if cards else chunk.count(b"\n")
    return lines if cards else max(lines - 1, 0)


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's sheets, in order; none for a file that is not a workbook."""
    return _workbook(path).sheet_names if Path(path).suffix.lower() in SPREADSHEETS else []


def _workbook(path: Path):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise FileProblem(
            _("The spreadsheet cannot be read (%(error)s). Is it damaged or cut off?") % {"error": error}
        ) from None


def _spreadsheet_lines(path: Path, sheet: str) -> Iterator[tuple[int, list[str]]]:
    from python_calamine import CalamineError

    book = _workbook(path)
    if sheet and sheet not in book.sheet_names:
        raise FileProblem(_("The workbook has no sheet “%(sheet)s”.") % {"sheet": sheet})
    try:
        rows = (book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)).iter_rows()
    except (CalamineError, OSError, ValueError) as error:
        raise FileProblem(
            _("The spreadsheet cannot be read (%(error)s). Is it damaged or cut off?") % {"error": error}
        ) from None
    return ((number, [_cell(v) for v in row]) for number, row in enumerate(rows, start=1))


def _cell(value) -> str:
    """A spreadsheet cell as the text a user typed: 10115.0 → "10115", dates as YYYY-MM-DD."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
