"""Files uploaded for an import, kept (private) between the check and the run: named by a random token that the
check page carries, with the check's findings beside them."""

import csv
import json
import re
import secrets
from pathlib import Path

from django.conf import settings

from . import vcard
from .reading import SPREADSHEETS

SUFFIXES = (".csv", ".txt", ".tsv", *SPREADSHEETS, *vcard.SUFFIXES)
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(mode=settings.PRIVATE_DIR, exist_ok=True)
    return folder


def suffix_of(name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUFFIXES else None


def keep(uploaded) -> str:
    """Store an uploaded file (read in chunks); its token."""
    token = secrets.token_urlsafe(16)
    path = _folder() / f"{token}{suffix_of(uploaded.name)}"
    with path.open("xb") as file:
        path.chmod(settings.PRIVATE_FILE)
        for chunk in uploaded.chunks():
            file.write(chunk)
    (_folder() / f"{token}.json").write_text(json.dumps({"name": uploaded.name}))
    return token


def keep_rows(name: str, header: list[str], rows) -> str:
    """Store rows made on the page (pasted addresses) as a CSV file, checked and imported like an upload."""
    token = secrets.token_urlsafe(16)
    path = _folder() / f"{token}.csv"
    with path.open("x", encoding="utf-8", newline="") as file:
        path.chmod(settings.PRIVATE_FILE)
        csv.writer(file).writerows([header, *rows])
    (_folder() / f"{token}.json").write_text(json.dumps({"name": name}))
    return token


def path_of(token: str) -> Path | None:
    """The stored file of a token, None if the token is not one or its file is gone."""
    if not TOKEN.fullmatch(token or ""):
        return None
    for suffix in SUFFIXES:
        path = _folder() / f"{token}{suffix}"
        if path.is_file():
            return path
    return None


def facts(token: str) -> dict:
    """What is known about a stored file: its name as uploaded, and the check's rejected rows."""
    return json.loads((_folder() / f"{token}.json").read_text())


def note(token: str, **found) -> None:
    """Add to what is known about a stored file. The page may read it while the worker writes: the new facts
    replace the old in one step."""
    path = _folder() / f"{token}.json"
    written = path.with_suffix(".json.new")
    written.write_text(json.dumps({**facts(token), **found}))
    written.replace(path)


def forget(token: str) -> None:
    for path in (path_of(token), _folder() / f"{token}.json"):
        if path is not None:
            path.unlink(missing_ok=True)
